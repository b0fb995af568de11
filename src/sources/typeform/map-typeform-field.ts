/**
 * One Typeform field (Create API "retrieve form", `fields[]`) as FormModel
 * fields. Ids and keys are the field `ref` (stable, what webhook answers
 * carry next to the field id); option ids are Typeform choice ids and option
 * values their labels (webhook `choice.label`); choice refs are kept in
 * `source.choiceRefs`. `contact_info`/`address` expand into one field per
 * sub-field; `payment`, `calendly` and unknown types cannot be asked.
 * @module
 */
import type { FieldType, FormModelInput } from '../../core/form/index.js';
import type { UnmappedItem } from '../source-connector.js';

/** A FormModel field before defaults are applied. */
export type FieldInput = FormModelInput['pages'][number]['fields'][number];

const rec = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
const int = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

const SIMPLE: Record<string, FieldType> = {
  short_text: 'short_text', long_text: 'long_text', email: 'email', number: 'number', phone_number: 'phone', website: 'url',
  date: 'date', yes_no: 'yes_no', legal: 'consent', file_upload: 'file', statement: 'statement',
};

/** A unique id-safe version of `base`. */
export function uniqueRef(base: string, taken: Set<string>): string {
  const clean = base.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '') || 'field';
  let id = clean;
  for (let n = 2; taken.has(id); n++) id = `${clean}_${n}`;
  taken.add(id);
  return id;
}

/** What the form mapper needs to resolve logic: field ref → FormModel id, and choice ref → option id. */
export interface FieldIndex {
  readonly ids: Map<string, string>;
  readonly choices: Map<string, Map<string, string>>;
  readonly multi: Set<string>;
}

/** Map one field; pushes FormModel fields into `out` (none, one, or several for compound types). */
export function mapTypeformField(raw: unknown, pointer: string, out: FieldInput[], taken: Set<string>, index: FieldIndex, unmapped: UnmappedItem[]): void {
  const f = rec(raw);
  const type = str(f.type) ?? '';
  const ref = str(f.ref) ?? str(f.id);
  const title = str(f.title) ?? '';
  const props = rec(f.properties);
  const validations = rec(f.validations);
  if (!ref) {
    unmapped.push({ pointer, reason: 'Field without ref or id; dropped.' });
    return;
  }
  if (/\{\{(field|hidden|var):/.test(title)) unmapped.push({ pointer: `${pointer}/title`, reason: 'Recall placeholders ({{field:…}}, {{hidden:…}}, {{var:…}}) are shown as literal text.' });
  if (f.attachment !== undefined) unmapped.push({ pointer: `${pointer}/attachment`, reason: 'Field media (image/video) cannot be shown; dropped.' });
  if (type === 'contact_info' || type === 'address') {
    const id = uniqueRef(ref, taken);
    index.ids.set(ref, id);
    out.push({ id, key: ref, type: 'statement', label: title || ref, style: 'subheading', source: { typeformId: str(f.id) ?? '', type } });
    arr(props.fields).forEach((sub, si) => {
      const s = rec(sub);
      const required = validations.required === true && rec(s.validations).required === true;
      mapTypeformField({ ...s, validations: { ...rec(s.validations), required } }, `${pointer}/properties/fields/${si}`, out, taken, index, unmapped);
      const last = out[out.length - 1];
      if (last && str(s.subfield_key)) last.source = { ...last.source, parentRef: ref, subfieldKey: str(s.subfield_key) ?? '' };
    });
    return;
  }
  if (type === 'payment' || type === 'calendly' || (SIMPLE[type] === undefined && !['multiple_choice', 'dropdown', 'picture_choice', 'ranking', 'rating', 'opinion_scale', 'nps', 'matrix'].includes(type))) {
    const why = type === 'payment' ? 'A payment cannot be taken inside a WhatsApp Flow' : type === 'calendly' ? 'A Calendly booking widget cannot be embedded in a WhatsApp Flow' : `Typeform field type '${type}' is not supported`;
    unmapped.push({ pointer, reason: `${why}; field '${ref}'${validations.required === true ? ' (required in Typeform)' : ''} is dropped.` });
    return;
  }
  const id = uniqueRef(ref, taken);
  index.ids.set(ref, id);
  const field: FieldInput = { id, key: ref, type: SIMPLE[type] ?? 'short_text', label: title || ref, required: validations.required === true };
  const source: Record<string, string | number | boolean | string[]> = { typeformId: str(f.id) ?? '', type };
  const help = str(props.description);
  if (help) field.help = help;
  if (type === 'statement') {
    field.style = 'heading';
    field.required = false;
    out.push({ ...field, source });
    if (help) {
      const pid = uniqueRef(`${ref}_description`, taken);
      out.push({ id: pid, key: pid, type: 'statement', label: help, style: 'paragraph' });
    }
    return;
  }
  const maxLength = int(validations.max_length);
  const minValue = num(validations.min_value);
  const maxValue = num(validations.max_value);
  if (maxLength !== undefined || minValue !== undefined || maxValue !== undefined) {
    field.validation = { ...(maxLength !== undefined && maxLength > 0 ? { maxLength } : {}), ...(minValue !== undefined ? { min: minValue } : {}), ...(maxValue !== undefined ? { max: maxValue } : {}) };
  }
  for (const k of ['default_country_code', 'structure', 'separator', 'shape'] as const) if (typeof props[k] === 'string') source[k] = props[k];
  if (type === 'file_upload') field.file = { kind: 'any', maxFiles: 1 };
  if (['multiple_choice', 'dropdown', 'picture_choice', 'ranking'].includes(type)) {
    const multiple = props.allow_multiple_selection === true;
    field.type = type === 'dropdown' ? 'dropdown' : multiple || type === 'ranking' ? 'multiple_choice' : 'single_choice';
    let choices = arr(props.choices).map(rec).filter((c) => str(c.label) !== undefined);
    if (props.alphabetical_order === true) choices = [...choices].sort((a, b) => String(a.label).localeCompare(String(b.label)));
    const optTaken = new Set<string>();
    const byRef = new Map<string, string>();
    field.options = choices.map((c) => {
      const optionId = uniqueRef(str(c.id) ?? str(c.ref) ?? String(c.label), optTaken);
      const label = String(c.label);
      byRef.set(str(c.ref) ?? optionId, optionId);
      byRef.set(optionId, optionId);
      return { id: optionId, value: label, label };
    });
    source.choiceRefs = choices.map((c) => str(c.ref) ?? '');
    index.choices.set(ref, byRef);
    if (field.type === 'multiple_choice') index.multi.add(ref);
    if (props.allow_other_choice === true) field.allowOther = true;
    if (props.randomize === true) unmapped.push({ pointer: `${pointer}/properties/randomize`, reason: 'Choices are randomised in Typeform; shown in stored order.' });
    if (type === 'picture_choice') unmapped.push({ pointer: `${pointer}/properties/choices`, reason: 'Picture choices are asked by their labels; the images are not shown.' });
    if (type === 'ranking') unmapped.push({ pointer, reason: 'A ranking (order of all choices) is asked as a multiple choice: the order is lost.' });
    if (field.options.length === 0) {
      unmapped.push({ pointer: `${pointer}/properties/choices`, reason: 'Choice field without choices; dropped.' });
      return;
    }
  }
  if (type === 'rating') field.type = 'rating';
  if (type === 'rating') field.scale = { min: 1, max: Math.max(2, int(props.steps) ?? 5) };
  if (type === 'opinion_scale' || type === 'nps') {
    const labels = rec(props.labels);
    const start = type === 'nps' ? 0 : props.start_at_one === true ? 1 : 0;
    const steps = type === 'nps' ? 11 : Math.max(2, int(props.steps) ?? 10);
    field.type = type === 'nps' ? 'nps' : 'scale';
    field.scale = { min: start, max: start + steps - 1, ...(str(labels.left) ? { minLabel: str(labels.left) } : {}), ...(str(labels.right) ? { maxLabel: str(labels.right) } : {}) };
    if (str(labels.center)) unmapped.push({ pointer: `${pointer}/properties/labels/center`, reason: `Centre label '${str(labels.center) ?? ''}' of the scale is not shown.` });
  }
  if (type === 'matrix') {
    const rows = arr(props.fields).map(rec).filter((r) => str(r.ref) !== undefined && str(r.title) !== undefined);
    const first = rec(rows[0]?.properties);
    const optTaken = new Set<string>();
    const columns = arr(first.choices).map(rec).filter((c) => str(c.label) !== undefined);
    field.type = 'grid';
    field.options = columns.map((c) => ({ id: uniqueRef(str(c.ref) ?? String(c.label), optTaken), value: String(c.label), label: String(c.label) }));
    field.rows = rows.map((r) => ({ id: uniqueRef(String(r.ref), taken), key: String(r.ref), label: String(r.title) }));
    if (rows.some((r) => rec(r.properties).allow_multiple_selection === true)) unmapped.push({ pointer: `${pointer}/properties/fields`, reason: 'Matrix rows with several answers are asked with one answer per row.' });
    if (field.rows.length === 0 || field.options.length === 0) {
      unmapped.push({ pointer, reason: 'Matrix without rows or columns; dropped.' });
      return;
    }
  }
  field.source = source;
  out.push(field);
}
