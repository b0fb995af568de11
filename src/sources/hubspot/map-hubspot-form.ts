/**
 * A HubSpot Forms v3 definition (`GET /marketing/v3/forms/{formId}`) as a
 * FormModel. HubSpot field groups are rows, not pages, and the v3 API carries
 * no multi-step layout, so the whole form is one page; rich-text groups
 * become statements, `dependentFields` become `visibleWhen` on the child
 * (placed right after its parent), hidden fields keep their default, and the
 * legal-consent block becomes consent fields and statements at the end.
 * @module
 */
import { AppError } from '../../core/errors.js';
import { formModelSchema, type Condition, type FormModelInput } from '../../core/form/index.js';
import type { MappedForm, UnmappedItem } from '../source-connector.js';
import { hubspotCondition } from './hubspot-condition.js';
import { mapHubspotField, type FieldInput } from './map-hubspot-field.js';
import { htmlToStatements, mapLegalConsent } from './map-hubspot-legal.js';

const rec = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Map one HubSpot form definition; throws AppError('USAGE_INVALID') when `definition` is not one. */
export function mapHubspotForm(definition: unknown): MappedForm {
  const def = rec(definition);
  const id = str(def.id);
  if (!id || !Array.isArray(def.fieldGroups)) {
    throw new AppError('USAGE_INVALID', 'Not a HubSpot form definition: expected an object with "id" and "fieldGroups" (the body of GET /marketing/v3/forms/{formId}).');
  }
  const unmapped: UnmappedItem[] = [];
  const fields: FieldInput[] = [];
  const taken = new Set<string>();

  const addField = (raw: unknown, pointer: string, progressive: boolean, parentCondition: Condition | undefined, forceOptional: boolean): void => {
    const mapped = mapHubspotField(raw, pointer, taken, unmapped);
    if (!mapped) return;
    const { field, info } = mapped;
    if (progressive || forceOptional) field.required = false;
    if (parentCondition) field.visibleWhen = parentCondition;
    fields.push(field);
    arr(rec(raw).dependentFields).forEach((dep, di) => {
      const depPointer = `${pointer}/dependentFields/${di}`;
      const result = hubspotCondition(rec(dep).dependentCondition, info);
      let own: Condition;
      let optional = forceOptional;
      if (result.ok) {
        own = result.condition;
        if (result.approximate) unmapped.push({ pointer: `${depPointer}/dependentCondition`, reason: `Approximated: ${result.approximate}.` });
      } else {
        own = { op: 'answered', field: info.id };
        optional = true;
        unmapped.push({ pointer: `${depPointer}/dependentCondition`, reason: `${result.reason}; the dependent field is shown once '${info.id}' is answered and made optional.` });
      }
      const condition: Condition = parentCondition ? { op: 'and', conditions: [parentCondition, own] } : own;
      addField(rec(dep).dependentField, `${depPointer}/dependentField`, progressive, condition, optional);
    });
  };

  arr(def.fieldGroups).forEach((g, gi) => {
    const group = rec(g);
    const pointer = `/fieldGroups/${gi}`;
    const groupType = str(group.groupType) ?? 'default_group';
    const progressive = groupType === 'progressive' || groupType === 'queued';
    if (progressive) {
      unmapped.push({ pointer: `${pointer}/groupType`, reason: `'${groupType}' group (progressive profiling: shown only when earlier values are known) is asked always, as optional questions.` });
    }
    const richText = str(group.richText);
    if (richText !== undefined && richText.trim() !== '') {
      if (group.richTextType === 'image') unmapped.push({ pointer: `${pointer}/richText`, reason: 'Image rich text cannot be shown in a WhatsApp Flow; dropped.' });
      else fields.push(...htmlToStatements(richText, `richtext_${gi}`, taken));
    }
    arr(group.fields).forEach((f, fi) => addField(f, `${pointer}/fields/${fi}`, progressive, undefined, false));
  });

  const legal = mapLegalConsent(def.legalConsentOptions, taken, unmapped);
  fields.push(...legal.fields);

  const configuration = rec(def.configuration);
  const postSubmit = rec(configuration.postSubmitAction);
  let endMessage: string | undefined;
  if (postSubmit.type === 'thank_you' && typeof postSubmit.value === 'string') {
    endMessage = htmlToStatements(postSubmit.value, 'end', new Set()).map((s) => s.label).join('\n') || undefined;
  } else if (postSubmit.type === 'redirect_url') {
    unmapped.push({ pointer: '/configuration/postSubmitAction', reason: `A redirect to ${String(postSubmit.value)} after submission cannot happen inside WhatsApp; the flow ends with its own success screen.` });
  }
  if (configuration.recaptchaEnabled === true) {
    unmapped.push({ pointer: '/configuration/recaptchaEnabled', reason: 'reCAPTCHA is enabled: HubSpot may reject API submissions (FORM_HAS_RECAPTCHA_ENABLED); turn it off for this form.' });
  }
  if (def.archived === true) unmapped.push({ pointer: '/archived', reason: 'The form is archived in HubSpot: submissions to it may be rejected.' });
  const submitText = str(rec(def.displayOptions).submitButtonText);
  if (submitText !== undefined) unmapped.push({ pointer: '/displayOptions/submitButtonText', reason: `Submit button text '${submitText}' kept in source.meta.submitButtonText (the FormModel has no button text).` });

  const meta: Record<string, string | boolean | string[]> = { formGuid: id };
  if (typeof def.formType === 'string') meta.formType = def.formType;
  if (typeof configuration.language === 'string') meta.language = configuration.language;
  if (submitText !== undefined) meta.submitButtonText = submitText;
  Object.assign(meta, legal.meta);

  const input: FormModelInput = {
    id,
    title: str(def.name)?.trim() || id,
    source: { system: 'hubspot', formId: id, meta },
    pages: [{ id: 'main', fields }],
    ...(endMessage === undefined ? {} : { endMessage }),
  };
  const parsed = formModelSchema.safeParse(input);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new AppError('USAGE_INVALID', `HubSpot form ${id} cannot be represented: ${first ? `${first.path.join('.')}: ${first.message}` : 'invalid model'}`, { details: { unrepresentable: true, issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) } });
  }
  return { model: parsed.data, unmapped };
}
