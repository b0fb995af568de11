/**
 * One FormModel field as Flow components plus its field-map entry (Meta,
 * "Components"). Texts are fitted into Meta's limits; a cut label is shown in
 * full in a TextBody above the input, so the question is never lost.
 * Validation that no component property can express is left to the server
 * and reported.
 * @module
 */
import type { Component } from '../flow/model/component.js';
import type { FormField } from '../form/field.js';
import { chooseChoiceComponent, listComponent, optionItems, OTHER_OPTION_ID, type ChoiceComponent } from './choice-components.js';
import { atLeast, type CompileContext } from './compile-context.js';
import { fitText } from './compile-report.js';
import type { ExprOperand } from './condition-expr.js';
import type { FieldMapEntry } from './field-map.js';
import { entryComponents, scaleOptions, withFullLabel } from './entry-components.js';

/** A compiled field, before it is placed on a screen. */
export interface CompiledField {
  field: FormField;
  entry: FieldMapEntry;
  components: Component[];
  /** How conditions read this field (undefined: the client cannot). */
  operand?: Omit<ExprOperand, 'ref'>;
  pickers: number;
  optIns: number;
  /** Served by the endpoint: needs its own search and pick screens. */
  search?: { kind: 'dropdown' | 'checkbox'; limit: number };
}

function defaultOf(field: FormField): string | string[] | undefined {
  const d = field.default;
  if (d === undefined) return undefined;
  const byValue = (v: string): string | undefined => field.options?.find((o) => o.id === v || o.value === v)?.id;
  if (Array.isArray(d)) return d.map(byValue).filter((x): x is string => x !== undefined);
  return byValue(String(d));
}

function compileChoice(field: FormField, ctx: CompileContext, entry: FieldMapEntry, help: string | undefined): CompiledField {
  const count = (field.options?.length ?? 0) + (field.allowOther ? 1 : 0);
  const kind: ChoiceComponent = chooseChoiceComponent(field, count, ctx);
  const { items, map } = optionItems(field, ctx);
  entry.options = map;
  const name = entry.flowName ?? '';
  const multi = field.type === 'multiple_choice';
  if (kind === 'search') {
    const limit = multi ? 20 : 200;
    if (field.allowOther) ctx.report.add('loss', 'dropped', field.id, 'A list served by search has no free-text "other" answer: "Other" can be chosen but its text is not asked.');
    ctx.report.add('warning', 'endpoint-required', field.id, `${count} options are more than a ${multi ? 'CheckboxGroup (20)' : 'Dropdown (200)'} can hold: the person types a search and the endpoint serves up to ${limit} matching options.`);
    return { field, entry, components: [], pickers: 0, optIns: 0, search: { kind: multi ? 'checkbox' : 'dropdown', limit }, ...(multi ? {} : { operand: { kind: 'choice', optionIds: map.map((o) => o.flowId) } }) };
  }
  const init = defaultOf(field);
  const description = help === undefined ? undefined : fitText(help, 300, ctx.report, field.id, 'Help text');
  const components: Component[] = [listComponent(kind, { name, label: field.label, required: field.required, ...(description !== undefined ? { description } : {}), ...(init !== undefined ? { init } : {}) }, items, ctx, field)];
  if (description !== undefined && (kind === 'dropdown' || ((kind === 'radio' || kind === 'checkbox') && !atLeast(ctx, '4.0')))) components.push({ type: 'TextCaption', text: description });
  if (field.allowOther) {
    entry.otherFlowName = ctx.name(`${name}_other`);
    if (!multi && atLeast(ctx, '6.0')) {
      // Shown (and required) only while "Other" is chosen, like on the web form.
      components.push({ type: 'TextInput', name: entry.otherFlowName, label: 'Other: please say', required: true, visible: `\`\${form.${name}} == '${OTHER_OPTION_ID}'\`` });
    } else {
      components.push({ type: 'TextInput', name: entry.otherFlowName, label: 'Other: please say', required: false });
      ctx.report.add('info', 'approximated', field.id, 'The "other" answer is an optional text box below the list; the server requires it when "Other" is chosen.');
      entry.serverChecks.push('required-when-visible');
    }
  }
  return { field, entry, components: withFullLabel(field, components), pickers: 0, optIns: 0, ...(multi ? {} : { operand: { kind: 'choice', optionIds: map.map((o) => o.flowId) } }) };
}

/** Which field types each override component applies to. */
const COMPONENT_FITS: Record<string, readonly string[]> = {
  radio: ['single_choice', 'dropdown'], dropdown: ['single_choice', 'dropdown'], checkbox: ['multiple_choice'], chips: ['multiple_choice'],
  text: ['short_text', 'long_text'], textarea: ['short_text', 'long_text'], date: ['date', 'datetime'], calendar: ['date', 'datetime'],
};

/** Compile one field. `entry.screen` is filled in when the field is placed. */
export function compileField(field: FormField, pageId: string, ctx: CompileContext): CompiledField {
  const ov = ctx.overrides.fields?.[field.id];
  if (ov?.component !== undefined && !(COMPONENT_FITS[ov.component] ?? []).includes(field.type)) {
    ctx.report.add('warning', 'approximated', field.id, `Override component '${ov.component}' does not fit a ${field.type} field and is ignored.`);
  }
  if (ov?.component === 'textarea' && field.type === 'short_text') field = { ...field, type: 'long_text' };
  if (ov?.component === 'text' && field.type === 'long_text') field = { ...field, type: 'short_text' };
  const f: FormField = { ...field, label: ov?.label ?? field.label, ...(ov?.help !== undefined ? { help: ov.help } : {}) };
  const help = f.help !== undefined && f.help.trim() !== '' ? f.help : undefined;
  const entry: FieldMapEntry = {
    fieldId: f.id, sourceKey: f.key, type: f.type, valueType: 'string', pageId, required: f.required, serverChecks: [], delivery: 'complete',
    ...(f.visibleWhen ? { visibleWhen: f.visibleWhen } : {}),
    ...(f.requiredWhen && !f.required ? { requiredWhen: f.requiredWhen } : {}),
    ...(f.validation ? { validation: f.validation } : {}),
    ...(f.default !== undefined ? { default: f.default } : {}),
  };
  if (f.type === 'hidden') {
    entry.delivery = 'server';
    entry.valueType = typeof f.default === 'number' ? 'number' : typeof f.default === 'boolean' ? 'boolean' : Array.isArray(f.default) ? 'string[]' : 'string';
    if (f.default !== undefined) entry.default = f.default;
    ctx.report.add('info', 'server-side', f.id, `Hidden field '${f.key}' is not in the flow; the server adds ${f.default === undefined ? 'it when a value is known' : `its default ${JSON.stringify(f.default)}`}.`);
    return { field: f, entry, components: [], pickers: 0, optIns: 0 };
  }
  if (f.type === 'statement') {
    entry.delivery = 'server';
    const text = f.label;
    const c: Component = f.style === 'heading' ? { type: 'TextHeading', text: fitText(text, 80, ctx.report, f.id, 'Heading') }
      : f.style === 'subheading' ? { type: 'TextSubheading', text: fitText(text, 80, ctx.report, f.id, 'Subheading') }
        : { type: 'TextBody', text: fitText(text, 4096, ctx.report, f.id, 'Text') };
    const out: Component[] = [c];
    if (help) out.push({ type: 'TextBody', text: fitText(help, 4096, ctx.report, f.id, 'Text') });
    return { field: f, entry, components: out, pickers: 0, optIns: 0 };
  }
  entry.flowName = ctx.name(f.id);
  if (f.type === 'single_choice' || f.type === 'dropdown' || f.type === 'multiple_choice') {
    entry.valueType = f.type === 'multiple_choice' ? 'string[]' : 'string';
    return compileChoice(f, ctx, entry, help);
  }
  if (f.type === 'rating' || f.type === 'scale' || f.type === 'nps') {
    const opts = scaleOptions(f);
    entry.valueType = 'number';
    const scaled: FormField = { ...f, options: opts, type: 'single_choice' };
    const compiled = compileChoice(scaled, ctx, entry, help);
    const values = opts.map((o) => Number(o.id));
    return { ...compiled, field: f, operand: { kind: 'scale', min: Math.min(...values), max: Math.max(...values) } };
  }
  if (f.type === 'grid') {
    entry.valueType = 'object';
    entry.rows = [];
    const components: Component[] = [{ type: 'TextBody', text: fitText(f.label, 4096, ctx.report, f.id, 'Text') }];
    const { items, map } = optionItems({ ...f, allowOther: false }, ctx);
    entry.options = map;
    for (const row of f.rows ?? []) {
      const rowName = ctx.name(`${entry.flowName}_${row.id}`);
      entry.rows.push({ rowId: row.id, key: row.key, flowName: rowName, screen: '' });
      const kind = items.length <= 20 ? 'radio' : 'dropdown';
      components.push(listComponent(kind, { name: rowName, label: row.label, required: f.required }, items.slice(0, 200), ctx, f));
    }
    ctx.report.add('warning', 'approximated', f.id, `Grid with ${entry.rows.length} rows becomes one question per row.`);
    return { field: f, entry, components, pickers: 0, optIns: 0 };
  }
  return entryComponents(f, ctx, entry, help);
}
