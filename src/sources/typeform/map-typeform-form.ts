/**
 * A Typeform definition (`GET /forms/{form_id}`) as a FormModel. Typeform
 * asks one question at a time and jumps between fields (`logic[]`, first
 * matching jump wins, else the next field); the FormModel jumps between
 * pages. So pages are cut where logic needs them: each `group` is a page,
 * and consecutive top-level fields share a page until a field that is a
 * jump target (starts a page) or a jump source (ends one).
 * @module
 */
import { AppError } from '../../core/errors.js';
import { formModelSchema, type FormModelInput } from '../../core/form/index.js';
import type { MappedForm, UnmappedItem } from '../source-connector.js';
import { mapTypeformField, uniqueRef, type FieldIndex, type FieldInput } from './map-typeform-field.js';
import { typeformCondition } from './typeform-condition.js';

type PageInput = FormModelInput['pages'][number];

const rec = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

/** Refs that logic jumps from and to. */
function logicRefs(logic: unknown[]): { sources: Set<string>; targets: Set<string> } {
  const sources = new Set<string>();
  const targets = new Set<string>();
  for (const l of logic.map(rec)) {
    const jumps = arr(l.actions).map(rec).filter((a) => a.action === 'jump');
    if (jumps.length > 0 && typeof l.ref === 'string') sources.add(l.ref);
    for (const a of jumps) {
      const to = rec(rec(a.details).to);
      if (to.type === 'field' && typeof to.value === 'string') targets.add(to.value);
    }
  }
  return { sources, targets };
}

/** Map one Typeform definition; throws AppError('USAGE_INVALID') when `definition` is not one. */
export function mapTypeformForm(definition: unknown): MappedForm {
  const def = rec(definition);
  const formId = str(def.id);
  if (!formId || !Array.isArray(def.fields)) {
    throw new AppError('USAGE_INVALID', 'Not a Typeform definition: expected an object with "id" and "fields" (the body of GET /forms/{form_id}).');
  }
  const unmapped: UnmappedItem[] = [];
  const taken = new Set<string>();
  const index: FieldIndex = { ids: new Map(), choices: new Map(), multi: new Set() };
  const logic = arr(def.logic);
  const { sources, targets } = logicRefs(logic);
  const pages: PageInput[] = [];
  /** ref → page, and whether the ref starts / ends its page. */
  const placed = new Map<string, { page: PageInput; first: boolean; last: boolean }>();
  let open: PageInput | undefined;
  const pageIds = new Set<string>();

  arr(def.fields).forEach((raw, i) => {
    const f = rec(raw);
    const ref = str(f.ref) ?? str(f.id) ?? `field_${i}`;
    const pointer = `/fields/${i}`;
    if (f.type === 'group') {
      open = undefined;
      const props = rec(f.properties);
      const page: PageInput = { id: uniqueRef(ref, pageIds), ...(str(f.title) ? { title: str(f.title) } : {}), ...(str(props.description) ? { description: str(props.description) } : {}), fields: [], source: { ref, typeformId: str(f.id) ?? '' } };
      pages.push(page);
      const nested = arr(props.fields);
      placed.set(ref, { page, first: true, last: true });
      nested.forEach((n, ni) => {
        const nref = str(rec(n).ref);
        if (nref) placed.set(nref, { page, first: ni === 0, last: ni === nested.length - 1 });
        mapTypeformField(n, `${pointer}/properties/fields/${ni}`, page.fields, taken, index, unmapped);
      });
      return;
    }
    if (!open || targets.has(ref)) {
      open = { id: uniqueRef(`p_${ref}`, pageIds), fields: [] };
      pages.push(open);
    }
    placed.set(ref, { page: open, first: open.fields.length === 0, last: true });
    mapTypeformField(raw, pointer, open.fields, taken, index, unmapped);
    if (sources.has(ref)) open = undefined;
  });
  if (pages.length === 0) pages.push({ id: 'main', fields: [] });
  const firstPage = pages[0] as PageInput;

  const hiddenIds = new Map<string, string>();
  const hiddenFields: FieldInput[] = arr(def.hidden).filter((h): h is string => typeof h === 'string' && h !== '').map((name) => {
    const id = uniqueRef(`hidden_${name}`, taken);
    hiddenIds.set(name, id);
    return { id, key: name, type: 'hidden' as const, label: name, source: { origin: 'hidden' } };
  });
  const welcome: FieldInput[] = arr(def.welcome_screens).map(rec).flatMap((w) => {
    const text = str(w.title);
    if (!text) return [];
    const id = uniqueRef(`welcome_${str(w.ref) ?? 'screen'}`, taken);
    const desc = str(rec(w.properties).description);
    return [{ id, key: id, type: 'statement' as const, label: desc ? `${text}\n\n${desc}` : text, style: 'heading' as const }];
  });
  firstPage.fields.unshift(...welcome);
  firstPage.fields.push(...hiddenFields);

  logic.map(rec).forEach((l, li) => {
    const ref = String(l.ref);
    const actions = arr(l.actions).map(rec);
    const at = placed.get(ref);
    if (l.type === 'hidden' || !at) {
      if (actions.length > 0) unmapped.push({ pointer: `/logic/${li}`, reason: `Logic on ${l.type === 'hidden' ? 'hidden field' : 'unknown field'} '${ref}' is not applied.` });
      return;
    }
    if (!at.last) unmapped.push({ pointer: `/logic/${li}`, reason: `Jumps after '${ref}' (inside a group) are taken at the end of its group page.` });
    const jumps: NonNullable<PageInput['jumps']> = at.page.jumps ?? [];
    actions.forEach((a, ai) => {
      const pointer = `/logic/${li}/actions/${ai}`;
      if (a.action !== 'jump') {
        unmapped.push({ pointer, reason: `'${String(a.action)}' on a variable (score/price calculation) is not computed.` });
        return;
      }
      const to = rec(rec(a.details).to);
      let target: string | undefined;
      if (to.type === 'thankyou') target = 'end';
      else if (to.type === 'field') {
        const dest = placed.get(String(to.value));
        target = dest?.page.id;
        if (dest && !dest.first) unmapped.push({ pointer, reason: `Jump to '${String(to.value)}' inside a group lands at the start of its group page.` });
      }
      if (target === undefined) {
        unmapped.push({ pointer, reason: `Jump target ${JSON.stringify(to.value ?? null)} is not a mapped field or ending; not applied.` });
        return;
      }
      const when = typeformCondition(a.condition, index, hiddenIds);
      if (!when.ok) {
        unmapped.push({ pointer: `${pointer}/condition`, reason: `${when.reason}; this jump is not applied.` });
        return;
      }
      jumps.push(when.condition ? { when: when.condition, to: target } : { to: target });
    });
    if (jumps.length > 0) at.page.jumps = jumps;
  });

  const endings = arr(def.thankyou_screens).map(rec);
  const ending = endings.find((t) => t.ref !== 'default_tys') ?? endings[0];
  const endMessage = ending ? str(ending.title)?.replace(/\*/g, '') : undefined;
  if (endings.length > 1) unmapped.push({ pointer: '/thankyou_screens', reason: `${endings.length} endings: every jump to an ending finishes the flow with '${endMessage ?? ''}'.` });
  endings.forEach((t, ti) => {
    const p = rec(t.properties);
    if (p.button_mode === 'redirect' && str(p.redirect_url)) unmapped.push({ pointer: `/thankyou_screens/${ti}/properties/redirect_url`, reason: 'A redirect after the form cannot happen inside WhatsApp.' });
  });
  if (def.variables !== undefined && Object.keys(rec(def.variables)).length > 0) unmapped.push({ pointer: '/variables', reason: 'Calculated variables (score, price) are not computed.' });

  const settings = rec(def.settings);
  const links = rec(def._links);
  const meta: Record<string, string | string[]> = { hiddenFields: [...hiddenIds.keys()] };
  if (str(settings.language)) meta.language = str(settings.language) ?? '';
  if (str(links.display)) meta.displayUrl = str(links.display) ?? '';
  if (ending && str(ending.ref)) meta.endingRef = str(ending.ref) ?? '';
  const input: FormModelInput = { id: formId, title: str(def.title) ?? formId, source: { system: 'typeform', formId, meta }, pages, ...(endMessage ? { endMessage } : {}) };
  const parsed = formModelSchema.safeParse(input);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new AppError('USAGE_INVALID', `Typeform form ${formId} cannot be represented: ${first ? `${first.path.join('.')}: ${first.message}` : 'invalid model'}`, { details: { unrepresentable: true, issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) } });
  }
  return { model: parsed.data, unmapped };
}
