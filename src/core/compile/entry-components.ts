/**
 * Free-entry, date, yes/no, consent and file questions as Flow components
 * (Meta, "Components": TextInput, TextArea, DatePicker, CalendarPicker,
 * RadioButtonsGroup, OptIn, PhotoPicker, DocumentPicker; "Media upload").
 * @module
 */
import type { Component } from '../flow/model/component.js';
import type { TextInput } from '../flow/model/input-components.js';
import type { FieldOption, FormField } from '../form/field.js';
import { listComponent } from './choice-components.js';
import { atLeast, type CompileContext } from './compile-context.js';
import { fitText } from './compile-report.js';
import type { CompiledField } from './compile-field.js';
import { relativeDateBounds, wordLimitHelp } from './conditional-rules.js';
import type { FieldMapEntry } from './field-map.js';

/** MIME types DocumentPicker accepts (Meta, "Components" → DocumentPicker). */
export const DOCUMENT_MIME_TYPES: readonly string[] = [
  'application/gzip', 'application/msword', 'application/pdf', 'application/vnd.ms-excel', 'application/vnd.ms-powerpoint',
  'application/vnd.oasis.opendocument.presentation', 'application/vnd.oasis.opendocument.spreadsheet', 'application/vnd.oasis.opendocument.text',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/x-7z-compressed', 'application/zip', 'image/avif',
  'image/gif', 'image/heic', 'image/heif', 'image/jpeg', 'image/png', 'image/tiff', 'image/webp', 'text/plain', 'video/mp4', 'video/mpeg',
];

const LABEL_LIMITS: Record<string, number> = {
  TextInput: 20, TextArea: 20, Dropdown: 20, DatePicker: 40, CalendarPicker: 40, RadioButtonsGroup: 30,
  CheckboxGroup: 30, ChipsSelector: 80, OptIn: 120, PhotoPicker: 30, DocumentPicker: 30,
};

/** The components, preceded by the full question text when the input's label had to be cut. */
export function withFullLabel(field: FormField, components: Component[]): Component[] {
  const first = components.find((c) => 'label' in c && typeof c.label === 'string');
  const limit = first ? LABEL_LIMITS[first.type] : undefined;
  if (limit === undefined || field.label.replace(/\s+/g, ' ').trim().length <= limit) return components;
  return [{ type: 'TextBody', text: field.label.slice(0, 4096) }, ...components];
}

const TIME_PATTERN = '^([01][0-9]|2[0-3]):[0-5][0-9]$';
const URL_PATTERN = '^https?://[^ ]+$';

/** Options of a rating/scale/NPS field: ids are the numbers as text; end labels go into the end titles. */
export function scaleOptions(f: FormField): FieldOption[] {
  const min = f.scale?.min ?? (f.type === 'nps' ? 0 : 1);
  const max = f.scale?.max ?? (f.type === 'nps' ? 10 : 5);
  const out: FieldOption[] = [];
  for (let v = min; v <= max && out.length < 200; v++) {
    const end = v === min ? f.scale?.minLabel : v === max ? f.scale?.maxLabel : undefined;
    out.push({ id: String(v), value: String(v), label: end ? `${v} – ${end}` : String(v) });
  }
  return out;
}

function dateProp(date: string, ctx: CompileContext): string {
  return atLeast(ctx, '5.0') ? date : String(Date.parse(`${date}T00:00:00Z`));
}

function textInput(f: FormField, ctx: CompileContext, entry: FieldMapEntry, help: string | undefined, name: string): TextInput {
  const v = f.validation;
  const c: TextInput = { type: 'TextInput', name, label: fitText(f.label, 20, ctx.report, f.id, 'Label'), required: f.required };
  const kinds: Record<string, TextInput['input-type']> = { email: 'email', phone: 'phone', number: 'number' };
  c['input-type'] = kinds[f.type] ?? 'text';
  let pattern: string | undefined = f.type === 'url' ? URL_PATTERN : f.type === 'time' ? TIME_PATTERN : v?.pattern;
  if (f.type === 'email') entry.serverChecks.push('email');
  if (f.type === 'phone') entry.serverChecks.push('phone');
  if (pattern !== undefined && (c['input-type'] === 'text' || c['input-type'] === 'number') && atLeast(ctx, '6.2')) {
    c.pattern = pattern;
    c['helper-text'] = fitText(help ?? v?.patternMessage ?? (f.type === 'time' ? 'Time as HH:MM (24 hours)' : f.type === 'url' ? 'A web address (https://…)' : 'Must match the required format'), 80, ctx.report, f.id, 'Helper text');
    pattern = undefined;
  } else if (help !== undefined && help.length <= 80) {
    c['helper-text'] = help;
  }
  const words = wordLimitHelp(f, ctx, entry);
  if (words !== undefined && c['helper-text'] === undefined) c['helper-text'] = words;
  if (pattern !== undefined) {
    entry.serverChecks.push(f.type === 'url' ? 'url' : 'pattern');
    ctx.report.add('warning', 'server-validated', f.id, `Format rule ${pattern} cannot be checked on the phone (needs Flow JSON 6.2 and a text/number input): the server checks it.`);
  }
  if (v?.minLength !== undefined && v.minLength > 0) c['min-chars'] = v.minLength;
  if (v?.maxLength !== undefined) c['max-chars'] = v.maxLength;
  if (v?.min !== undefined || v?.max !== undefined) {
    entry.serverChecks.push('number-range');
    ctx.report.add('warning', 'server-validated', f.id, `Number range ${v.min ?? '−∞'}…${v.max ?? '∞'} is checked by the server (no component property for it).`);
  }
  if (v?.integer) entry.serverChecks.push('integer');
  if (v?.blockedDomains?.length) {
    entry.serverChecks.push('blocked-domains');
    ctx.report.add('warning', 'server-validated', f.id, 'Blocked e-mail domains are checked by the server.');
  }
  if (typeof f.default === 'string' || typeof f.default === 'number') c['init-value'] = String(f.default);
  return c;
}

function picker(f: FormField, ctx: CompileContext, entry: FieldMapEntry, help: string | undefined): Component {
  const file = f.file ?? { kind: 'any' as const, maxFiles: 1 };
  const name = entry.flowName ?? '';
  const label = fitText(f.label, 30, ctx.report, f.id, 'Label');
  const base = { name, label, ...(help !== undefined ? { description: fitText(help, 300, ctx.report, f.id, 'Help text') } : {}),
    ...(file.maxSizeKb !== undefined ? { 'max-file-size-kb': Math.min(file.maxSizeKb, 25600) } : {}) };
  if (file.maxSizeKb !== undefined && file.maxSizeKb > 25600) ctx.report.add('loss', 'approximated', f.id, 'Files are limited to 25 MiB each on WhatsApp.');
  const min = f.required ? 1 : 0;
  if (file.kind === 'image') return { type: 'PhotoPicker', ...base, 'min-uploaded-photos': min, 'max-uploaded-photos': file.maxFiles };
  const allowed = (file.mimeTypes ?? []).filter((m) => DOCUMENT_MIME_TYPES.includes(m));
  if (file.mimeTypes && allowed.length < file.mimeTypes.length) {
    entry.serverChecks.push('file-types');
    ctx.report.add('warning', 'approximated', f.id, `File types not offered by WhatsApp are dropped from the picker: ${file.mimeTypes.filter((m) => !allowed.includes(m)).join(', ')}.`);
  }
  return { type: 'DocumentPicker', ...base, 'min-uploaded-documents': min, 'max-uploaded-documents': file.maxFiles, ...(allowed.length > 0 ? { 'allowed-mime-types': allowed } : {}) };
}

/** Compile a non-choice input field. */
export function entryComponents(f: FormField, ctx: CompileContext, entry: FieldMapEntry, help: string | undefined): CompiledField {
  const name = entry.flowName ?? '';
  const done = (components: Component[], extra: Partial<CompiledField> = {}): CompiledField =>
    ({ field: f, entry, components: withFullLabel(f, components), pickers: 0, optIns: 0, ...extra });
  switch (f.type) {
    case 'long_text': {
      const v = f.validation;
      const c: Component = { type: 'TextArea', name, label: fitText(f.label, 20, ctx.report, f.id, 'Label'), required: f.required };
      if (v?.maxLength !== undefined) c['max-length'] = v.maxLength;
      const words = wordLimitHelp(f, ctx, entry);
      const shortHelp = help !== undefined && help.length <= 80 ? help : undefined;
      const joined = shortHelp !== undefined && words !== undefined && shortHelp.length + words.length + 3 <= 80 ? `${shortHelp} (${words.toLowerCase()})` : undefined;
      if (joined ?? shortHelp ?? words) c['helper-text'] = joined ?? shortHelp ?? words;
      if (typeof f.default === 'string') c['init-value'] = f.default;
      if (v?.minLength !== undefined || v?.pattern !== undefined) {
        entry.serverChecks.push('length');
        ctx.report.add('warning', 'server-validated', f.id, 'TextArea has no minimum length or pattern: the server checks them.');
      }
      return done(help !== undefined && help.length > 80 ? [c, { type: 'TextCaption', text: help }] : [c], { operand: { kind: 'text' } });
    }
    case 'date':
    case 'datetime': {
      const v = f.validation;
      const calendar = ctx.overrides.fields?.[f.id]?.component === 'calendar' && atLeast(ctx, '6.1');
      const c: Component = calendar
        ? { type: 'CalendarPicker', name, label: fitText(f.label, 40, ctx.report, f.id, 'Label'), required: f.required }
        : { type: 'DatePicker', name, label: fitText(f.label, 40, ctx.report, f.id, 'Label'), required: f.required };
      const relative = relativeDateBounds(f, ctx, entry);
      // The tighter of a fixed and a relative bound.
      const min = [v?.minDate, relative.min].filter((d): d is string => d !== undefined).sort().pop();
      const max = [v?.maxDate, relative.max].filter((d): d is string => d !== undefined).sort().shift();
      if (min !== undefined) c['min-date'] = dateProp(min, ctx);
      if (max !== undefined) c['max-date'] = dateProp(max, ctx);
      if (help !== undefined && help.length <= 80) c['helper-text'] = help;
      const caption: Component[] = help !== undefined && help.length > 80 ? [{ type: 'TextCaption', text: help }] : [];
      if (!atLeast(ctx, '5.0')) ctx.report.add('info', 'approximated', f.id, 'Before Flow JSON 5.0 dates travel as UTC millisecond timestamps; the server converts them back to YYYY-MM-DD.');
      entry.valueType = 'date';
      const out: Component[] = [c, ...caption];
      if (f.type === 'datetime') {
        entry.valueType = 'datetime';
        entry.timeFlowName = ctx.name(`${name}_time`);
        out.push(textInput({ ...f, type: 'time', label: 'Time (HH:MM)', validation: {} }, ctx, entry, undefined, entry.timeFlowName));
        ctx.report.add('warning', 'approximated', f.id, 'Date and time become a date picker plus a time text box (HH:MM).');
      }
      return done(out, { operand: { kind: 'text' } });
    }
    case 'yes_no': {
      entry.valueType = 'boolean';
      entry.options = [{ flowId: 'yes', optionId: 'yes', sourceValue: 'true', title: 'Yes' }, { flowId: 'no', optionId: 'no', sourceValue: 'false', title: 'No' }];
      const init = f.default === true ? 'yes' : f.default === false ? 'no' : undefined;
      const c = listComponent('radio', { name, label: f.label, required: f.required, ...(init ? { init } : {}) }, [{ id: 'yes', title: 'Yes' }, { id: 'no', title: 'No' }], ctx, f);
      return done(help !== undefined ? [c, { type: 'TextCaption', text: help }] : [c], { operand: { kind: 'yesno' } });
    }
    case 'consent': {
      entry.valueType = 'boolean';
      const long = f.label.length > 120;
      const c: Component = { type: 'OptIn', name, label: long ? 'I agree' : f.label, required: f.required };
      if (f.default === true) c['init-value'] = true;
      const out: Component[] = long ? [{ type: 'TextBody', text: f.label.slice(0, 4096) }, c] : [c];
      if (long) ctx.report.add('info', 'approximated', f.id, 'The consent text is longer than an OptIn label (120): it is shown above a checkbox labelled "I agree".');
      if (help !== undefined) out.push({ type: 'TextCaption', text: help });
      return { field: f, entry, components: out, pickers: 0, optIns: 1, operand: { kind: 'boolean' } };
    }
    case 'file':
      entry.valueType = 'media';
      return { field: f, entry, components: [picker(f, ctx, entry, help)], pickers: 1, optIns: 0 };
    // Choices, grids, scales, hidden fields and statements are compiled elsewhere; as text if they ever get here.
    case 'single_choice':
    case 'multiple_choice':
    case 'dropdown':
    case 'grid':
    case 'rating':
    case 'scale':
    case 'nps':
    case 'hidden':
    case 'statement':
    case 'short_text':
    case 'email':
    case 'phone':
    case 'number':
    case 'url':
    case 'time': {
      if (f.type === 'time') {
        entry.valueType = 'time';
        ctx.report.add('info', 'approximated', f.id, 'Time is a text box with the HH:MM format.');
      }
      if (f.type === 'number') entry.valueType = 'number';
      const c = textInput(f, ctx, entry, help, name);
      const out: Component[] = help !== undefined && c['helper-text'] !== help && c['helper-text'] === undefined ? [c, { type: 'TextCaption', text: help }] : [c];
      return done(out, { operand: { kind: f.type === 'number' ? 'number' : 'text' } });
    }
  }
}
