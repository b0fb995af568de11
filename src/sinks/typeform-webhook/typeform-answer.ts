/**
 * One answer in Typeform's webhook shape (Typeform "Webhooks: example
 * payload"; answer objects as in the Responses API): `{type, <value key>,
 * field:{id, type, ref}}`. The field's Typeform type comes from the form it
 * was imported from (`source.type`), or from the FormModel type for forms
 * written by hand.
 * @module
 */
import type { SourceValue } from '../../core/compile/map-answers-to-source.js';
import type { FieldType, FormField } from '../../core/form/index.js';

/** Typeform field type for a FormModel type (hand-written forms). */
const TYPEFORM_TYPES: Partial<Record<FieldType, string>> = {
  short_text: 'short_text', long_text: 'long_text', email: 'email', phone: 'phone_number', number: 'number', url: 'website',
  date: 'date', time: 'short_text', datetime: 'short_text', single_choice: 'multiple_choice', multiple_choice: 'multiple_choice',
  dropdown: 'dropdown', yes_no: 'yes_no', consent: 'legal', rating: 'rating', scale: 'opinion_scale', nps: 'nps', file: 'file_upload',
};

/** A choice in the definition: Typeform choice id, ref and label. */
export interface TypeformChoice {
  readonly id: string;
  readonly ref: string;
  readonly label: string;
}

/** The field's Typeform type, or undefined when Typeform has no answer for it (statements, grids). */
export function typeformType(field: FormField): string | undefined {
  const t = field.source?.type;
  if (typeof t === 'string' && t !== '') return t;
  return TYPEFORM_TYPES[field.type];
}

/** The field's choices with their Typeform refs (`source.choiceRefs`, parallel to options). */
export function typeformChoices(field: FormField): TypeformChoice[] {
  const refs = Array.isArray(field.source?.choiceRefs) ? field.source.choiceRefs : [];
  return (field.options ?? []).map((o, i) => {
    const ref = refs[i];
    return { id: o.id, ref: typeof ref === 'string' && ref !== '' ? ref : o.id, label: o.label };
  });
}

/** The field id Typeform uses (`source.typeformId`), else the FormModel id. */
export function typeformFieldId(field: FormField): string {
  const id = field.source?.typeformId;
  return typeof id === 'string' && id !== '' ? id : field.id;
}

const asText = (v: SourceValue): string => (Array.isArray(v) ? v.map(String).join(', ') : typeof v === 'object' ? JSON.stringify(v) : String(v));
const asBool = (v: SourceValue): boolean => v === true || v === 'true' || v === 'yes';

/** The answer object, or undefined when the value has no Typeform form (e.g. a file: Typeform answers carry a download URL). */
export function typeformAnswer(field: FormField, value: SourceValue): Record<string, unknown> | undefined {
  const type = typeformType(field);
  if (type === undefined) return undefined;
  const ref = { id: typeformFieldId(field), type, ref: field.key };
  const choices = typeformChoices(field);
  const byValue = (v: string): TypeformChoice | undefined => {
    const i = (field.options ?? []).findIndex((o) => o.value === v);
    return i < 0 ? undefined : choices[i];
  };
  switch (type) {
    case 'email':
      return { type: 'email', email: asText(value), field: ref };
    case 'website':
      return { type: 'url', url: asText(value), field: ref };
    case 'phone_number':
      return { type: 'phone_number', phone_number: asText(value), field: ref };
    case 'date':
      return { type: 'date', date: asText(value).slice(0, 10), field: ref };
    case 'number':
    case 'rating':
    case 'opinion_scale':
    case 'nps': {
      const n = typeof value === 'number' ? value : Number(asText(value));
      return Number.isFinite(n) ? { type: 'number', number: n, field: ref } : { type: 'text', text: asText(value), field: ref };
    }
    case 'yes_no':
    case 'legal':
      return { type: 'boolean', boolean: asBool(value), field: ref };
    case 'multiple_choice':
    case 'dropdown':
    case 'picture_choice':
    case 'ranking': {
      const values = Array.isArray(value) ? value.map(String) : [asText(value)];
      const known = values.map(byValue).filter((c): c is TypeformChoice => c !== undefined);
      const other = values.filter((v) => byValue(v) === undefined).join(', ');
      if (field.type === 'multiple_choice' || type === 'ranking') {
        return { type: 'choices', choices: { ids: known.map((c) => c.id), refs: known.map((c) => c.ref), labels: known.map((c) => c.label), ...(other === '' ? {} : { other }) }, field: ref };
      }
      const one = known[0];
      return { type: 'choice', choice: one ? { id: one.id, ref: one.ref, label: one.label } : { other }, field: ref };
    }
    case 'file_upload':
    case 'payment':
    case 'matrix':
    case 'statement':
    case 'group':
      return undefined;
    default:
      return { type: 'text', text: asText(value), field: ref };
  }
}
