/**
 * One screen of a random valid flow: the random plan (which parts it holds)
 * and its layout with the builder. `flow.ts` chains screens and decides names,
 * data and exits.
 * @module
 */
import fc from 'fast-check';
import { updateData } from '../../src/core/flow/model/builder-actions.js';
import type { ComponentListBuilder } from '../../src/core/flow/model/builder-components.js';
import { data, expr, form, screenForm } from '../../src/core/flow/model/builder-refs.js';
import type { ScreenBuilder } from '../../src/core/flow/model/builder-screen.js';
import type { Component } from '../../src/core/flow/model/component.js';
import type { JsonValue } from '../../src/core/flow/model/screen.js';
import type { FlowJsonVersion } from '../../src/core/flow/version.js';
import { alpha, displayPart, imagePart, inputPart, linkPart, pickerPart, since, text, type ComponentPart, type ValueKind } from './flow-parts.js';

/** What a screen holds, drawn at random. */
export interface ScreenPlan {
  readonly title: string;
  readonly displays: ComponentPart[];
  readonly inputs: ComponentPart[];
  readonly picker: ComponentPart | undefined;
  readonly images: ComponentPart[];
  readonly links: ComponentPart[];
  readonly useForm: boolean;
  readonly bindData: boolean;
  readonly globalRef: boolean;
  readonly conditional: boolean;
  /** ≥ 6.0: a concatenation expression and an expression-bound `visible`. */
  readonly expression: boolean;
  /** ≥ 6.0: a RadioButtonsGroup's on-select-action updates a declared string field. */
  readonly updateOnSelect: boolean;
  /** Text inputs start with a value (Form `init-values` or component `init-value`). */
  readonly initValues: boolean;
  /** ≥ 6.3: the screen is only a RichText (paragraphs) and its Footer. */
  readonly rich: string[] | undefined;
  /** ≥ 6.2, non-terminal: the screen is only a NavigationList with this many rows. */
  readonly navigationList: string[] | undefined;
  readonly exchange: boolean;
  readonly refreshOnBack: boolean;
  readonly footerLabel: string;
  readonly captions: { left: string; right: string } | { center: string } | undefined;
  readonly sensitive: boolean;
  readonly success: boolean | undefined;
}

/** `arb` once in `oneIn` draws, otherwise undefined. */
function rarely<T>(arb: fc.Arbitrary<T>, oneIn: number): fc.Arbitrary<T | undefined> {
  return fc.oneof({ arbitrary: fc.constant(undefined), weight: oneIn - 1 }, { arbitrary: arb, weight: 1 });
}

const when = (ok: boolean, arb: fc.Arbitrary<boolean>): fc.Arbitrary<boolean> => (ok ? arb : fc.constant(false));

/** A random screen plan for `version`; `carousel` allows ImageCarousel (≥ 7.1), `patterns` TextInput regexes (≥ 6.2). */
export function screenPlan(version: FlowJsonVersion, carousel: boolean, patterns = false): fc.Arbitrary<ScreenPlan> {
  const caption = text(15);
  return fc.record({
    title: text(30),
    displays: fc.array(displayPart(version), { maxLength: 4 }),
    inputs: fc.array(inputPart(version, patterns), { maxLength: 5 }),
    picker: rarely(pickerPart(), 3),
    images: fc.tuple(fc.array(imagePart(false), { maxLength: 2 }), carousel ? rarely(imagePart(true), 2) : fc.constant(undefined))
      .map(([images, c]) => (c ? [...images, c] : images)),
    links: since(version, '6.0') ? fc.array(linkPart(), { maxLength: 2 }) : fc.constant<ComponentPart[]>([]),
    useForm: fc.boolean(),
    bindData: fc.boolean(),
    globalRef: fc.boolean(),
    conditional: fc.boolean(),
    expression: when(since(version, '6.0'), fc.boolean()),
    updateOnSelect: when(since(version, '6.0'), fc.boolean()),
    initValues: fc.boolean(),
    rich: since(version, '6.3') ? rarely(fc.array(text(200), { minLength: 1, maxLength: 3 }), 8) : fc.constant(undefined),
    navigationList: since(version, '6.2') ? rarely(fc.array(text(30), { minLength: 1, maxLength: 20 }), 8) : fc.constant(undefined),
    exchange: fc.boolean(),
    refreshOnBack: fc.boolean(),
    footerLabel: text(35),
    captions: fc.option(fc.oneof(fc.record({ left: caption, right: caption }), fc.record({ center: caption })), { nil: undefined }),
    sensitive: when(since(version, '5.1'), fc.boolean()),
    success: fc.constantFrom(undefined, true),
  });
}

/** An input of a screen, named. */
export interface NamedInput {
  readonly name: string;
  readonly part: ComponentPart;
  readonly value: ValueKind;
}

/** What the layout needs besides the plan. */
export interface ScreenContent {
  readonly index: number;
  readonly declared: Readonly<Record<string, JsonValue>>;
  readonly inputs: readonly NamedInput[];
  readonly footer: Component;
  /** String inputs of earlier screens, for global references (≥ 4.0). */
  readonly earlier: ReadonlyArray<{ screen: string; name: string }>;
}

const asComponent = (c: Record<string, unknown>): Component => c as unknown as Component;

/**
 * Lay out a screen that is neither RichText- nor NavigationList-only: images
 * and links first, then texts and inputs (in a Form or not), then the Footer.
 */
export function fillScreen(s: ScreenBuilder, plan: ScreenPlan, content: ScreenContent): void {
  const { declared, inputs, footer, earlier, index } = content;
  const stringKey = Object.keys(declared).find((k) => typeof declared[k] === 'string');
  const displays = plan.displays.map((p) => asComponent(p.component));
  if (plan.bindData && stringKey) displays.push({ type: 'TextBody', text: data(stringKey) });
  const ref = earlier[index % Math.max(1, earlier.length)];
  if (plan.globalRef && ref) displays.push({ type: 'TextCaption', text: screenForm(ref.screen, ref.name) });
  if (plan.expression && stringKey) {
    displays.push({ type: 'TextCaption', text: expr(`'Hello ' ${data(stringKey)}`), visible: expr(`${data(stringKey)} != ''`) });
  }
  const inForm = plan.useForm && inputs.length > 0;
  const initValues: Record<string, string> = {};
  const components = inputs.map(({ name, part }) => {
    const c: Record<string, unknown> = { ...part.component, name };
    if (plan.initValues && (c.type === 'TextInput' || c.type === 'TextArea') && c['input-type'] === undefined) {
      if (inForm) initValues[name] = 'Prefilled';
      else c['init-value'] = 'Prefilled';
    }
    if (plan.updateOnSelect && stringKey && c.type === 'RadioButtonsGroup') c['on-select-action'] = updateData({ [stringKey]: 'updated' });
    return asComponent(c);
  });
  s.add(...plan.images.map((p) => asComponent(p.component)), ...plan.links.map((p) => asComponent(p.component)));
  if (inForm) {
    const props = Object.keys(initValues).length > 0 ? { 'init-values': initValues } : {};
    s.form(`form_${alpha(index)}`, (f) => f.add(...displays, ...components, footer), props);
    return;
  }
  s.add(...displays, ...components);
  if (plan.conditional) addConditional(s, plan, inputs);
  s.add(footer);
}

/** An If on an OptIn's value, or else a Switch on a RadioButtonsGroup's value (no Form screens only). */
function addConditional(s: ScreenBuilder, plan: ScreenPlan, inputs: readonly NamedInput[]): void {
  const optIn = inputs.find((f) => f.part.component.type === 'OptIn');
  if (optIn) {
    s.when(form(optIn.name), (t) => t.body(plan.footerLabel), inputs.length % 2 === 0 ? (e) => e.caption(plan.title) : undefined);
    return;
  }
  const radio = inputs.find((f) => f.part.optionIds !== undefined);
  if (radio?.part.optionIds) {
    const cases: Record<string, (b: ComponentListBuilder) => unknown> = {};
    for (const optionId of radio.part.optionIds.slice(0, 3)) cases[optionId] = (b) => b.body(`${plan.title} ${optionId}`);
    s.switchOn(form(radio.name), cases);
  }
}
