/**
 * HubSpot rich text and `legalConsentOptions` as FormModel statements and
 * consent fields. The consent checkboxes get keys a sink turns back into the
 * submission's `legalConsentOptions.consent` (Forms API v3 "Submit data":
 * `consentToProcess`, `communications[{subscriptionTypeId, value, text}]`).
 * @module
 */
import type { UnmappedItem } from '../source-connector.js';
import { uniqueId, type FieldInput } from './map-hubspot-field.js';

const rec = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

function decode(text: string): string {
  return text.replace(/&(#?\w+);/g, (m, e: string) => ENTITIES[e] ?? (/^#\d+$/.test(e) ? String.fromCodePoint(Number(e.slice(1))) : m));
}

/** HTML as statements: `<h1>`–`<h3>` become headings, every other block a paragraph; tags stripped. */
export function htmlToStatements(html: string, idBase: string, taken: Set<string>): FieldInput[] {
  const out: FieldInput[] = [];
  const blocks = html.split(/(?=<(?:h[1-6]|p|div|ul|ol|li)\b)|<br\s*\/?>/i);
  for (const block of blocks) {
    const heading = /^<h([1-6])\b/i.exec(block.trim());
    const text = decode(block.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();
    if (text === '') continue;
    const style = heading ? (Number(heading[1]) <= 2 ? 'heading' : 'subheading') : 'paragraph';
    const id = uniqueId(idBase, taken);
    out.push({ id, key: id, type: 'statement', label: text, style });
  }
  return out;
}

/** The consent block: statements and consent fields, plus what a sink needs in `source.meta`. */
export function mapLegalConsent(raw: unknown, taken: Set<string>, unmapped: UnmappedItem[]): { fields: FieldInput[]; meta: Record<string, string | string[]> } {
  const legal = rec(raw);
  const type = typeof legal.type === 'string' ? legal.type : 'none';
  const fields: FieldInput[] = [];
  const meta: Record<string, string | string[]> = { legalConsentType: type };
  const text = (value: unknown, base: string): void => {
    const s = str(value);
    if (s !== undefined) fields.push(...htmlToStatements(s, base, taken));
  };
  const checkboxes = (): void => {
    arr(legal.communicationsCheckboxes).forEach((c, i) => {
      const box = rec(c);
      const sub = typeof box.subscriptionTypeId === 'number' || typeof box.subscriptionTypeId === 'string' ? String(box.subscriptionTypeId) : undefined;
      const label = str(box.label);
      if (sub === undefined || label === undefined) {
        unmapped.push({ pointer: `/legalConsentOptions/communicationsCheckboxes/${i}`, reason: 'Communication checkbox without subscriptionTypeId or label; dropped.' });
        return;
      }
      const id = uniqueId(`legal_consent_subscription_${sub}`, taken);
      fields.push({ id, key: `legalConsentOptions.communications.${sub}`, type: 'consent', label: htmlToStatements(label, 'x', new Set()).map((s) => s.label).join(' ') || label, required: box.required === true, source: { subscriptionTypeId: sub, text: label } });
    });
  };
  switch (type) {
    case 'none':
      break;
    case 'legitimate_interest':
      text(legal.privacyText, 'legal_privacy');
      meta.lawfulBasis = typeof legal.lawfulBasis === 'string' ? legal.lawfulBasis : '';
      meta.subscriptionTypeIds = arr(legal.subscriptionTypeIds).map(String);
      if (typeof legal.privacyText === 'string') meta.legitimateInterestText = legal.privacyText;
      break;
    case 'explicit_consent_to_process':
    case 'implicit_consent_to_process': {
      text(legal.communicationConsentText, 'legal_communication_text');
      checkboxes();
      text(legal.consentToProcessText, 'legal_process_text');
      const boxLabel = str(legal.consentToProcessCheckboxLabel);
      if (type === 'explicit_consent_to_process' && boxLabel !== undefined) {
        const id = uniqueId('legal_consent_to_process', taken);
        fields.push({ id, key: 'legalConsentOptions.consentToProcess', type: 'consent', label: boxLabel, required: true, source: { text: boxLabel } });
      }
      text(legal.consentToProcessFooterText, 'legal_process_footer');
      text(legal.privacyText, 'legal_privacy');
      if (typeof legal.consentToProcessText === 'string') meta.consentToProcessText = legal.consentToProcessText;
      if (type === 'implicit_consent_to_process') meta.consentToProcessImplicit = 'true';
      break;
    }
    default:
      unmapped.push({ pointer: '/legalConsentOptions/type', reason: `Unknown legal consent type '${type}'; its texts are not shown.` });
  }
  return { fields, meta };
}
