/**
 * fast-check arbitraries for single valid Flow JSON parts: texts within
 * Meta's character limits, options, and one arbitrary per component kind,
 * gated by Flow JSON version (spec §1.2, §1.9, §1.11). `flow.ts` assembles
 * them into whole flows.
 * @module
 */
import fc from 'fast-check';
import type { Component } from '../../src/core/flow/model/component.js';
import type { DataSourceItem } from '../../src/core/flow/model/selection-components.js';
import { openUrl } from '../../src/core/flow/model/builder-actions.js';
import { isAtLeast, parseVersion, type FlowJsonVersion } from '../../src/core/flow/version.js';

/** JSON type of the value an input produces, as declared in the next screen's data (§1.13). */
export type ValueKind = 'string' | 'string[]' | 'boolean' | 'object' | 'media';

/** A generated component without its `name`, plus what it produces. */
export interface ComponentPart {
  /** The component; inputs get their `name` when the screen is assembled. */
  readonly component: Record<string, unknown> & { type: Component['type'] };
  /** Undefined for display components. */
  readonly value: ValueKind | undefined;
  /** For RadioButtonsGroup: the option ids (Switch cases use them). */
  readonly optionIds?: readonly string[];
}

/** True when `version` is `min` or later. */
export function since(version: FlowJsonVersion, min: string): boolean {
  const v = parseVersion(version);
  return v !== undefined && isAtLeast(v, min);
}

const words = ['order', 'pizza', 'delivery', 'time', 'your', 'name', 'email', 'plan', 'extra', 'note', 'date', 'city', 'choose', 'one', 'please', 'size'];

/** Non-blank text of at most `max` characters (letters and single spaces). */
export function text(max: number): fc.Arbitrary<string> {
  return fc
    .array(fc.constantFrom(...words), { minLength: 1, maxLength: 8 })
    .map((ws) => {
      const t = ws.join(' ').slice(0, max).trim();
      return t.charAt(0).toUpperCase() + t.slice(1);
    });
}

/** Letters-only identifier for index `i`: a, b, …, z, ba, bb, … */
export function alpha(i: number): string {
  let n = i;
  let out = '';
  do {
    out = String.fromCharCode(97 + (n % 26)) + out;
    n = Math.floor(n / 26);
  } while (n > 0);
  return out;
}

/** Options with unique ids (`opt_a`, `opt_b`, …) and titles ≤ 30 chars; ChipsSelector items take no description. */
export function optionsArb(min: number, max: number, described = true, maxTitle = 30): fc.Arbitrary<DataSourceItem[]> {
  return fc.array(
    fc.record({ title: text(maxTitle), description: described ? fc.option(text(60), { nil: undefined }) : fc.constant(undefined), enabled: fc.option(fc.constant(true), { nil: undefined }) }),
    { minLength: min, maxLength: max },
  ).map((items) =>
    items.map((item, i) => {
      const out: DataSourceItem = { id: `opt_${alpha(i)}`, title: item.title };
      if (item.description !== undefined) out.description = item.description;
      if (item.enabled !== undefined) out.enabled = item.enabled;
      return out;
    }),
  );
}

const pngBase64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const bool = fc.boolean();
const opt = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(a, { nil: undefined });

/** Drop undefined properties so the JSON carries only keys that were chosen. */
function clean<T extends Record<string, unknown>>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}

const part = (component: ComponentPart['component'], value?: ValueKind, optionIds?: readonly string[]): ComponentPart =>
  optionIds ? { component: clean(component), value, optionIds } : { component: clean(component), value };

/** Display-only components allowed in `version` (no names, no values). */
export function displayPart(version: FlowJsonVersion): fc.Arbitrary<ComponentPart> {
  const kinds: fc.Arbitrary<ComponentPart>[] = [
    fc.record({ text: text(80), visible: opt(fc.constant(true)) }).map((p) => part({ type: 'TextHeading', ...p })),
    fc.record({ text: text(80) }).map((p) => part({ type: 'TextSubheading', ...p })),
    fc.record({
      text: text(200),
      fontWeight: opt(fc.constantFrom('bold', 'italic', 'bold_italic', 'normal')),
      strike: opt(bool),
      markdown: since(version, '5.1') ? opt(bool) : fc.constant(undefined),
    }).map((p) => part({ type: 'TextBody', text: p.text, 'font-weight': p.fontWeight, strikethrough: p.strike, markdown: p.markdown })),
    fc.record({ text: text(200) }).map((p) => part({ type: 'TextCaption', ...p })),
  ];
  return fc.oneof(...kinds);
}

/** Images: Image always; ImageCarousel from 7.1 (caller enforces per-screen/flow counts). */
export function imagePart(carousel: boolean): fc.Arbitrary<ComponentPart> {
  if (carousel) {
    return fc.record({
      images: fc.array(text(20), { minLength: 1, maxLength: 3 }).map((alts) => alts.map((alt) => ({ src: pngBase64, 'alt-text': alt }))),
      aspect: opt(fc.constantFrom('4:3', '16:9')),
      scale: opt(fc.constantFrom('contain', 'cover')),
    }).map((p) => part({ type: 'ImageCarousel', images: p.images, 'aspect-ratio': p.aspect, 'scale-type': p.scale }));
  }
  return fc.record({
    width: opt(fc.integer({ min: 10, max: 400 })),
    height: opt(fc.integer({ min: 10, max: 400 })),
    scale: opt(fc.constantFrom('cover', 'contain')),
    alt: opt(text(30)),
  }).map((p) => part({ type: 'Image', src: pngBase64, width: p.width, height: p.height, 'scale-type': p.scale, 'alt-text': p.alt }));
}

/** An EmbeddedLink opening a URL (open_url needs 6.0). */
export function linkPart(): fc.Arbitrary<ComponentPart> {
  return text(25).map((t) => part({ type: 'EmbeddedLink', text: t, 'on-click-action': openUrl('https://example.com/terms') }));
}

function datePart(version: FlowJsonVersion): fc.Arbitrary<ComponentPart> {
  const dated = since(version, '5.0');
  return fc.record({
    label: text(40),
    required: opt(bool),
    helper: opt(text(80)),
    from: fc.integer({ min: 2024, max: 2026 }),
    span: fc.integer({ min: 1, max: 3 }),
  }).map((p) => part({
    type: 'DatePicker',
    label: p.label,
    required: p.required,
    'helper-text': p.helper,
    'min-date': dated ? `${p.from}-01-01` : undefined,
    'max-date': dated ? `${p.from + p.span}-12-31` : undefined,
  }, 'string'));
}

function calendarPart(): fc.Arbitrary<ComponentPart> {
  return fc.oneof(
    fc.record({ label: text(40), required: opt(bool), helper: opt(text(80)) }).map((p) => part({
      type: 'CalendarPicker', mode: 'single', label: p.label, required: p.required, 'helper-text': p.helper,
      'min-date': '2025-01-01', 'max-date': '2027-12-31',
    }, 'string')),
    fc.record({ start: text(40), end: text(40), title: opt(text(80)), minDays: fc.integer({ min: 1, max: 3 }) }).map((p) => part({
      type: 'CalendarPicker', mode: 'range', title: p.title, label: { 'start-date': p.start, 'end-date': p.end },
      'min-date': '2025-01-01', 'max-date': '2027-12-31', 'min-days': p.minDays, 'max-days': p.minDays + 7,
    }, 'object')),
  );
}

/**
 * Input components allowed in `version`, except pickers (see {@link pickerPart}).
 * With `patterns` (≥ 6.2) some text TextInputs get a regex `pattern` (letters
 * and spaces) and the `helper-text` it makes mandatory.
 */
export function inputPart(version: FlowJsonVersion, patterns = false): fc.Arbitrary<ComponentPart> {
  const largeLabel = since(version, '7.0') ? opt(fc.constant('large' as const)) : fc.constant(undefined);
  const mediaSize = since(version, '5.0') ? opt(fc.constantFrom('regular', 'large')) : fc.constant(undefined);
  const pattern = patterns && since(version, '6.2') ? opt(fc.constant('^[A-Za-z ]+$')) : fc.constant(undefined);
  const kinds: fc.Arbitrary<ComponentPart>[] = [
    fc.record({
      label: text(20),
      inputType: opt(fc.constantFrom('text', 'number', 'email', 'password', 'passcode', 'phone')),
      required: opt(bool),
      helper: opt(text(80)),
      variant: largeLabel,
      pattern,
    }).map((p) => part(p.pattern
      ? { type: 'TextInput', label: p.label, 'label-variant': p.variant, 'input-type': 'text', pattern: p.pattern, required: p.required, 'helper-text': p.helper ?? 'Letters only' }
      : { type: 'TextInput', label: p.label, 'label-variant': p.variant, 'input-type': p.inputType, required: p.required, 'helper-text': p.helper }, 'string')),
    fc.record({ label: text(20), required: opt(bool), helper: opt(text(80)), variant: largeLabel }).map((p) =>
      part({ type: 'TextArea', label: p.label, 'label-variant': p.variant, required: p.required, 'helper-text': p.helper }, 'string')),
    fc.record({ label: text(30), description: opt(text(100)), source: optionsArb(1, 20), required: opt(bool), media: mediaSize }).map((p) =>
      part({ type: 'CheckboxGroup', label: p.label, description: p.description, 'data-source': p.source, required: p.required, 'media-size': p.media }, 'string[]')),
    fc.record({ label: text(30), description: opt(text(100)), source: optionsArb(1, 20), required: opt(bool) }).map((p) =>
      part({ type: 'RadioButtonsGroup', label: p.label, description: p.description, 'data-source': p.source, required: p.required }, 'string', p.source.map((o) => o.id))),
    fc.record({ label: text(20), source: optionsArb(1, 40), required: opt(bool) }).map((p) =>
      part({ type: 'Dropdown', label: p.label, 'data-source': p.source, required: p.required }, 'string')),
    fc.record({ label: text(120), required: opt(bool) }).map((p) => part({ type: 'OptIn', label: p.label, required: p.required }, 'boolean')),
    datePart(version),
  ];
  if (since(version, '6.1')) kinds.push(calendarPart());
  if (since(version, '6.3')) {
    kinds.push(fc.record({ label: text(80), source: optionsArb(2, 20, false), required: opt(bool), max: opt(fc.integer({ min: 1, max: 2 })) }).map((p) =>
      part({ type: 'ChipsSelector', label: p.label, 'data-source': p.source, required: p.required, 'max-selected-items': p.max }, 'string[]')));
  }
  return fc.oneof(...kinds);
}

/** A PhotoPicker or DocumentPicker (≥ 4.0; at most one per screen). */
export function pickerPart(): fc.Arbitrary<ComponentPart> {
  return fc.record({
    photo: bool,
    label: text(30),
    description: opt(text(100)),
    max: fc.integer({ min: 1, max: 30 }),
    minRatio: fc.double({ min: 0, max: 1, noNaN: true }),
    sizeKb: opt(fc.integer({ min: 1, max: 25600 })),
  }).map((p) => {
    const min = Math.floor(p.minRatio * p.max);
    return p.photo
      ? part({ type: 'PhotoPicker', label: p.label, description: p.description, 'max-file-size-kb': p.sizeKb, 'min-uploaded-photos': min, 'max-uploaded-photos': p.max }, 'media')
      : part({ type: 'DocumentPicker', label: p.label, description: p.description, 'max-file-size-kb': p.sizeKb, 'min-uploaded-documents': min, 'max-uploaded-documents': p.max, 'allowed-mime-types': ['application/pdf', 'image/jpeg'] }, 'media');
  });
}
