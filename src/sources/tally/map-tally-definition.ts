/**
 * A Tally form (`GET /forms/{formId}`) as a FormModel: blocks are walked in
 * order; a `TITLE` block labels the input that follows it, option blocks that
 * share a `groupUuid` make one choice field, `PAGE_BREAK` starts a page
 * (`page-1`, `page-2`… — the numbers JUMP_TO_PAGE uses), `HIDDEN_FIELDS`
 * become hidden fields, and logic blocks are applied once every field exists.
 * @module
 */
import { conditionFields, formModelSchema, type Condition, type FormModelInput } from '../../core/form/index.js';
import { AppError } from '../../core/errors.js';
import type { MappedForm, UnmappedItem } from '../source-connector.js';
import { mapTallyLogic } from './tally-logic.js';
import { mapTallyQuestion, OPTION_GROUPS, plainText, type FieldInput, type TallyBlock } from './tally-fields.js';

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function asBlock(v: unknown): TallyBlock | undefined {
  if (!isObject(v) || typeof v.uuid !== 'string' || v.uuid === '' || typeof v.type !== 'string') return undefined;
  return { uuid: v.uuid, type: v.type, groupUuid: str(v.groupUuid) || v.uuid, groupType: str(v.groupType), payload: isObject(v.payload) ? v.payload : {} };
}

const STATEMENTS: Record<string, 'heading' | 'subheading' | 'paragraph'> = { HEADING_1: 'heading', HEADING_2: 'subheading', HEADING_3: 'subheading', TEXT: 'paragraph', LABEL: 'paragraph' };
const LAYOUT_ONLY = new Set(['DIVIDER', 'IMAGE', 'EMBED', 'EMBED_VIDEO', 'EMBED_AUDIO']);

interface Page { id: string; fields: FieldInput[]; jumps: { when: Condition; to: string }[] }

/** Map a Tally form definition. */
export function mapTallyDefinition(definition: unknown): MappedForm {
  if (!isObject(definition) || !Array.isArray(definition.blocks)) throw new AppError('USAGE_INVALID', 'Not a Tally form: expected the GET /forms/{formId} response with a blocks[] list.');
  const raw: unknown[] = definition.blocks;
  const unmapped: UnmappedItem[] = [];
  const pages: Page[] = [{ id: 'page-1', fields: [], jumps: [] }];
  const current = (): Page => pages[pages.length - 1] as Page;
  const byBlock = new Map<string, FieldInput>();
  const byGroup = new Map<string, FieldInput>();
  const logic: { payload: Record<string, unknown>; index: number; page: number }[] = [];
  let title = str(definition.name);
  let pending: { label: string; uuid: string; help?: string } | undefined;
  let thankYou: string[] | undefined;
  const flushTitle = (): void => {
    if (pending?.label) current().fields.push({ id: pending.uuid, key: pending.uuid, type: 'statement', label: pending.label, style: 'subheading', ...(pending.help ? { help: pending.help } : {}) });
    pending = undefined;
  };
  for (let i = 0; i < raw.length; i++) {
    const b = asBlock(raw[i]);
    if (!b) {
      unmapped.push({ pointer: `/blocks/${i}`, reason: 'Not a block (uuid and type required).' });
      continue;
    }
    const p = b.payload;
    if (thankYou && b.type !== 'PAGE_BREAK') {
      const text = plainText(p.html ?? p.title);
      if (text) thankYou.push(text);
      else unmapped.push({ pointer: `/blocks/${i}`, reason: `'${b.type}' on the thank-you page is not shown.` });
      continue;
    }
    if (b.type === 'FORM_TITLE') title = plainText(p.title ?? p.html) || title;
    else if (b.type === 'PAGE_BREAK') {
      flushTitle();
      if (p.isThankYouPage === true) thankYou = [];
      else pages.push({ id: `page-${pages.length + 1}`, fields: [], jumps: [] });
    } else if (b.type === 'THANK_YOU_PAGE') {
      flushTitle();
      thankYou = [];
    } else if (b.type === 'TITLE') {
      flushTitle();
      pending = { label: plainText(p.html ?? p.title), uuid: b.uuid };
    } else if (STATEMENTS[b.type]) {
      const text = plainText(p.html ?? p.text);
      if (pending && b.type === 'TEXT' && text) pending.help = pending.help ? `${pending.help}\n${text}` : text;
      else if (text) {
        flushTitle();
        current().fields.push({ id: b.uuid, key: b.uuid, type: 'statement', label: text, style: STATEMENTS[b.type] });
      }
    } else if (LAYOUT_ONLY.has(b.type)) {
      unmapped.push({ pointer: `/blocks/${i}`, reason: `'${b.type}' is layout only and is not shown in WhatsApp.` });
    } else if (b.type === 'HIDDEN_FIELDS') {
      const list = Array.isArray(p.hiddenFields) ? p.hiddenFields : [];
      list.forEach((h, hi) => {
        const name = isObject(h) ? str(h.name) : '';
        if (!name) return void unmapped.push({ pointer: `/blocks/${i}/payload/hiddenFields/${hi}`, reason: 'Hidden field without a name.' });
        const id = (isObject(h) ? str(h.uuid) : '') || `hidden-${name}`;
        current().fields.push({ id, key: name, type: 'hidden', label: name, source: { tallyType: 'HIDDEN_FIELDS' } });
      });
    } else if (b.type === 'CONDITIONAL_LOGIC') {
      logic.push({ payload: p, index: i, page: pages.length });
    } else {
      const blocks = [{ block: b, index: i }];
      if (OPTION_GROUPS[b.type] !== undefined) {
        for (let next = asBlock(raw[i + 1]); next && next.type === b.type && next.groupUuid === b.groupUuid; next = asBlock(raw[i + 1])) blocks.push({ block: next, index: ++i });
      }
      const label = pending?.label ?? '';
      const help = pending?.help;
      const titleUuid = pending?.uuid;
      pending = undefined;
      const field = mapTallyQuestion({ blocks, label, ...(titleUuid ? { titleUuid } : {}) }, unmapped);
      if (!field) continue;
      if (byGroup.has(field.id)) {
        unmapped.push({ pointer: `/blocks/${i}`, reason: `A second input in group '${field.id}' is not mapped.` });
        continue;
      }
      if (help) field.help = help;
      current().fields.push(field);
      byGroup.set(field.id, field);
      for (const x of [titleUuid, ...blocks.map((x) => x.block.uuid), field.id]) if (x) byBlock.set(x, field);
    }
  }
  flushTitle();
  const visible = new Map<FieldInput, Condition[]>();
  for (const l of logic) {
    mapTallyLogic(l.payload, l.index, {
      fieldByGroup: (uuid) => byGroup.get(uuid),
      fieldsOfBlocks: (uuids) => [...new Set(uuids.map((u) => byBlock.get(u)).filter((f): f is FieldInput => f !== undefined))],
      show: (f, when) => visible.set(f, [...(visible.get(f) ?? []), when]),
      jump: (when, page) => {
        if (page > pages.length || page <= l.page) return void unmapped.push({ pointer: `/blocks/${l.index}/payload`, reason: `Jump to page ${page} from page ${l.page}: ${page > pages.length ? 'no such page' : 'backward jumps are not supported'}.` });
        const holder = pages[l.page - 1];
        holder?.jumps.push({ when, to: `page-${page}` });
        const note = jumpPlacementNote(holder?.fields ?? [], when, l.page, page);
        if (note) unmapped.push({ pointer: `/blocks/${l.index}/payload`, reason: note });
      },
    }, unmapped);
  }
  for (const [f, whens] of visible) f.visibleWhen = whens.length === 1 && whens[0] ? whens[0] : { op: 'or', conditions: whens };
  const formId = str(definition.id);
  const input: FormModelInput = {
    id: formId || 'tally-form',
    title: title || 'Tally form',
    source: { system: 'tally', ...(formId ? { formId } : {}), meta: { ...(str(definition.workspaceId) ? { workspaceId: str(definition.workspaceId) } : {}) } },
    pages: pages.filter((pg, i) => i === 0 || pg.fields.length > 0 || pages.some((o) => o.jumps.some((j) => j.to === pg.id))).map((pg) => ({ id: pg.id, fields: pg.fields, ...(pg.jumps.length ? { jumps: pg.jumps } : {}) })),
    ...(thankYou?.length ? { endMessage: thankYou.join('\n') } : {}),
  };
  const parsed = formModelSchema.safeParse(input);
  if (!parsed.success) throw new AppError('USAGE_INVALID', `The Tally definition does not make a valid form: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
  return { model: parsed.data, unmapped };
}

/**
 * What a jump means where its logic block stands. Tally runs a logic block
 * when the respondent leaves the page holding it (the blocks act in form
 * order; the spec gives the payload shape only), so the questions of that
 * page are asked before the jump, and a jump to the very next page changes
 * nothing. Both are mapped as written and said here, because a form author
 * usually means the jump to skip the holding page.
 */
function jumpPlacementNote(holderFields: readonly FieldInput[], when: Condition, from: number, to: number): string | undefined {
  const read = new Set(conditionFields(when));
  const asked = holderFields.filter((f) => f.type !== 'statement' && f.type !== 'hidden' && !read.has(f.id));
  if (asked.length === 0 || holderFields.some((f) => read.has(f.id))) return undefined;
  const names = asked.map((f) => `'${f.label}'${f.required === true ? ' (required)' : ''}`).join(', ');
  const effect = to === from + 1 ? `page ${to} follows page ${from} anyway, so the jump changes nothing` : `the jump then skips pages ${from + 1}–${to - 1}`;
  return `The jump to page ${to} stands on page ${from}, after its questions, and reads only answers of earlier pages: Tally runs it when the respondent leaves page ${from}, so everyone is asked ${names} first, and ${effect}. Mapped as Tally runs it; to skip page ${from}, move the logic block to the page where the answer is given.`;
}
