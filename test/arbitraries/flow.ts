/**
 * fast-check arbitraries of RANDOM VALID flows, built with the typed builder:
 * 1–12 screens chained by navigate (or data_exchange in the endpoint variant)
 * whose payloads match the next screen's declared data exactly, a terminal
 * last screen with `complete`, random components within Meta's limits, gated
 * by version (4.0–7.3). Every generated flow comes with a description of its
 * screens and of the `complete` payload keys, for tests that run flows.
 * @module
 */
import fc from 'fast-check';
import { complete, dataExchange, navigate } from '../../src/core/flow/model/builder-actions.js';
import { data, form } from '../../src/core/flow/model/builder-refs.js';
import { flow as startFlow } from '../../src/core/flow/model/builder.js';
import type { ActionPayload, FooterAction } from '../../src/core/flow/model/actions.js';
import type { Component, ComponentType } from '../../src/core/flow/model/component.js';
import type { FlowJson } from '../../src/core/flow/model/flow.js';
import type { JsonValue } from '../../src/core/flow/model/screen.js';
import type { FlowJsonVersion } from '../../src/core/flow/version.js';
import { alpha, since, type ValueKind } from './flow-parts.js';
import { fillScreen, screenPlan, type NamedInput, type ScreenPlan } from './flow-screen.js';

/** Versions the generator covers (4.0 onwards: Form optional, If/Switch, pickers). */
export const GENERATED_VERSIONS: readonly FlowJsonVersion[] = ['4.0', '5.0', '5.1', '6.0', '6.1', '6.2', '6.3', '7.0', '7.1', '7.2', '7.3'];

/** An input of a generated screen. */
export interface GeneratedInput {
  readonly name: string;
  readonly type: ComponentType;
  readonly value: ValueKind;
  readonly required: boolean;
}

/** How a generated screen is left. */
export interface GeneratedExit {
  readonly action: 'navigate' | 'data_exchange' | 'complete';
  /** The next screen (navigate / data_exchange); undefined for complete. */
  readonly next: string | undefined;
  /** Payload keys, in order: forwarded data keys then this screen's input names. */
  readonly payloadKeys: readonly string[];
  /** What the user taps: the Footer, or (NavigationList-only screens) any list row. */
  readonly via: 'footer' | 'navigation-list';
}

/** One screen of a generated flow. */
export interface GeneratedScreen {
  readonly id: string;
  readonly terminal: boolean;
  /** Declared data keys with their `__example__` values. */
  readonly data: Readonly<Record<string, JsonValue>>;
  readonly inputs: readonly GeneratedInput[];
  readonly exit: GeneratedExit;
  readonly refreshOnBack: boolean;
  /** True when inputs sit in a Form. */
  readonly usesForm: boolean;
}

/**
 * A generated flow and what a run of it must produce. For a `data_exchange`
 * exit a test endpoint should answer `{ screen: exit.next, data: <the resolved
 * payload> }` (the payload keys are exactly the next screen's data keys); a
 * `refresh_on_back` screen's BACK request may be answered with the previous
 * screen's data examples.
 */
export interface GeneratedFlow {
  readonly flow: FlowJson;
  readonly version: FlowJsonVersion;
  readonly endpoint: boolean;
  readonly screens: readonly GeneratedScreen[];
}

/** Options of {@link arbitraryFlow}. */
export interface FlowArbitraryOptions {
  /** A subset of {@link GENERATED_VERSIONS} (earlier versions need Forms everywhere; not generated). */
  readonly versions?: readonly FlowJsonVersion[];
  /** true / false to force the endpoint variant; undefined for either. */
  readonly endpoint?: boolean;
  readonly minScreens?: number;
  readonly maxScreens?: number;
  /** Give some TextInputs a regex `pattern` (≥ 6.2). Off by default: runs that auto-fill inputs must then satisfy `^[A-Za-z ]+$`. */
  readonly patterns?: boolean;
}

/** The keys `response_json` must hold on completion (besides `flow_token`), in payload order. */
export function expectedCompleteKeys(generated: GeneratedFlow): string[] {
  const last = generated.screens[generated.screens.length - 1];
  return last ? [...last.exit.payloadKeys] : [];
}

/**
 * The complete-payload keys whose value comes from an input that is not
 * `required`: a run that leaves such inputs unset may see them empty or
 * omitted (spec §1.13, unconfirmed which).
 */
export function optionalCompleteKeys(generated: GeneratedFlow): string[] {
  const inputs = new Map(generated.screens.flatMap((s) => s.inputs.map((f) => [f.name, f] as const)));
  return expectedCompleteKeys(generated).filter((key) => inputs.get(key)?.required === false);
}

/**
 * Random valid flows. Each screen declares exactly the keys the previous
 * screen's payload passes; every screen forwards its data and its
 * string/string[]/boolean inputs, so the `complete` payload carries them all.
 */
export function arbitraryFlow(options: FlowArbitraryOptions = {}): fc.Arbitrary<GeneratedFlow> {
  const versions = options.versions ?? GENERATED_VERSIONS;
  const endpointArb = options.endpoint === undefined ? fc.boolean() : fc.constant(options.endpoint);
  return fc.tuple(fc.constantFrom(...versions), endpointArb, fc.constantFrom<'3.0' | '4.0'>('3.0', '4.0')).chain(([version, endpoint, api]) =>
    fc
      .array(screenPlan(version, since(version, '7.1'), options.patterns ?? false), { minLength: options.minScreens ?? 1, maxLength: options.maxScreens ?? 12 })
      .map((plans) => assemble(version, endpoint ? api : undefined, plans)),
  );
}

const exampleOf: Record<ValueKind, JsonValue> = {
  string: 'example',
  'string[]': ['opt_a'],
  boolean: true,
  object: { 'start-date': '2025-01-01', 'end-date': '2025-01-05' },
  media: [],
};

const forwardable = (v: ValueKind): boolean => v === 'string' || v === 'string[]' || v === 'boolean';
const screenId = (i: number): string => `SCREEN_${alpha(i).toUpperCase()}`;

function assemble(version: FlowJsonVersion, api: '3.0' | '4.0' | undefined, plans: readonly ScreenPlan[]): GeneratedFlow {
  const builder = startFlow(version);
  if (api) builder.endpoint(api);
  const screens: GeneratedScreen[] = [];
  let incoming: Record<string, JsonValue> = {};
  let carousels = 0;
  const earlier: Array<{ screen: string; name: string }> = [];
  plans.forEach((rawPlan, i) => {
    const last = i === plans.length - 1;
    const plan: ScreenPlan = {
      ...rawPlan,
      images: rawPlan.images.filter((p) => p.component.type !== 'ImageCarousel' || carousels++ < 3),
      navigationList: last || rawPlan.rich ? undefined : rawPlan.navigationList,
    };
    const id = screenId(i);
    const next = last ? undefined : screenId(i + 1);
    const bare = plan.rich !== undefined || plan.navigationList !== undefined;
    const parts = bare ? [] : plan.picker ? [...plan.inputs, plan.picker] : plan.inputs;
    const inputs: NamedInput[] = parts.map((part, j) => ({ name: `f_${alpha(i)}_${alpha(j)}`, part, value: part.value ?? 'string' }));
    const forwarded = inputs.filter((f) => forwardable(f.value));
    const payload: ActionPayload = {};
    for (const key of Object.keys(incoming)) payload[key] = data(key);
    for (const f of forwarded) payload[f.name] = form(f.name);
    const exchange = api !== undefined && !last && plan.exchange && plan.navigationList === undefined;
    const action: FooterAction = last ? complete(payload) : exchange ? dataExchange(payload) : navigate(next!, payload);
    const declared = incoming;
    const footer: Component = { type: 'Footer', label: plan.footerLabel, ...(plan.captions ? captionProps(plan.captions) : {}), 'on-click-action': action };
    builder.screen(id, (s) => {
      s.title(plan.title);
      if (Object.keys(declared).length > 0) s.data(declared);
      if (last) s.terminal(plan.success);
      if (api && i > 0 && plan.refreshOnBack) s.refreshOnBack();
      const textNames = inputs.filter((f) => f.part.component.type === 'TextInput' || f.part.component.type === 'TextArea').map((f) => f.name);
      if (plan.sensitive && textNames.length > 0) s.sensitive(...textNames);
      if (plan.rich) {
        s.richText(plan.rich.length === 1 ? plan.rich[0]! : plan.rich).add(footer);
      } else if (plan.navigationList) {
        const items = plan.navigationList.map((title, k) => ({ id: `item_${alpha(k)}`, 'main-content': { title } }));
        s.navigationList(`nav_${alpha(i)}`, { 'list-items': items, 'on-click-action': navigate(next!, payload) });
      } else {
        fillScreen(s, plan, { index: i, declared, inputs, footer, earlier });
      }
    });
    if (exchange) builder.routes(id, [next!]);
    for (const f of inputs) if (f.value === 'string') earlier.push({ screen: id, name: f.name });
    screens.push({
      id,
      terminal: last,
      data: declared,
      inputs: inputs.map((f) => ({ name: f.name, type: f.part.component.type, value: f.value, required: f.part.component.required === true })),
      refreshOnBack: api !== undefined && i > 0 && plan.refreshOnBack,
      usesForm: !bare && plan.useForm && inputs.length > 0,
      exit: { action: action.name, next, payloadKeys: Object.keys(payload), via: plan.navigationList ? 'navigation-list' : 'footer' },
    });
    const nextData: Record<string, JsonValue> = { ...incoming };
    for (const f of forwarded) nextData[f.name] = exampleOf[f.value];
    incoming = nextData;
  });
  return { flow: builder.build(), version, endpoint: api !== undefined, screens };
}

function captionProps(c: { left: string; right: string } | { center: string }): Record<string, string> {
  return 'center' in c ? { 'center-caption': c.center } : { 'left-caption': c.left, 'right-caption': c.right };
}
