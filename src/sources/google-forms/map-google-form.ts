/**
 * A Google Forms definition (Forms API v1 `forms.get`) as a FormModel. Each
 * `pageBreakItem` starts a page; per-option `goToSectionId`/`goToAction` on
 * radio and drop-down questions become the page's jumps; grids become one
 * grid field whose rows keep their own `entry.<N>` keys; text items become
 * statements. The API exposes no validation, defaults or hidden fields.
 * @module
 */
import { AppError } from '../../core/errors.js';
import { formModelSchema, type FormModelInput, type Jump } from '../../core/form/index.js';
import type { MappedForm, UnmappedItem } from '../source-connector.js';
import { entryKey, mapChoiceOptions, mapGoogleQuestion, type FieldInput, type GoogleBranch } from './map-google-question.js';

type PageInput = FormModelInput['pages'][number];

const rec = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

/** The `1FAIpQL…` id of the public form, from `responderUri`. */
export function publishedIdOf(responderUri: string | undefined): string | undefined {
  return responderUri === undefined ? undefined : /\/forms\/d\/e\/([^/?#]+)/.exec(responderUri)?.[1];
}

/** Map one Google Forms definition; throws AppError('USAGE_INVALID') when `definition` is not one. */
export function mapGoogleForm(definition: unknown): MappedForm {
  const def = rec(definition);
  const formId = str(def.formId);
  if (!formId || !Array.isArray(def.items)) {
    throw new AppError('USAGE_INVALID', 'Not a Google Forms definition: expected an object with "formId" and "items" (the body of GET /v1/forms/{formId}).');
  }
  const info = rec(def.info);
  const settings = rec(def.settings);
  const unmapped: UnmappedItem[] = [];
  const pages: PageInput[] = [{ id: 'start', fields: [] }];
  const branchesByPage = new Map<PageInput, Array<{ fieldId: string; branch: GoogleBranch; pointer: string }>>();
  const ids = new Set<string>();
  const uniq = (id: string): string => {
    let out = id;
    for (let n = 2; ids.has(out); n++) out = `${id}_${n}`;
    ids.add(out);
    return out;
  };

  const emailCollection = str(settings.emailCollectionType);
  if (emailCollection === 'RESPONDER_INPUT' || emailCollection === 'VERIFIED') {
    pages[0]?.fields.push({ id: uniq('emailAddress'), key: 'emailAddress', type: 'email', label: 'Email', required: true, source: { emailCollectionType: emailCollection } });
    if (emailCollection === 'VERIFIED') unmapped.push({ pointer: '/settings/emailCollectionType', reason: 'Google verifies the email of a signed-in account; here it is typed in, and the public form cannot be submitted without sign-in.' });
  }
  if (rec(settings.quizSettings).isQuiz === true) unmapped.push({ pointer: '/settings/quizSettings/isQuiz', reason: 'Quiz mode (scores, answer keys) is not part of a WhatsApp Flow.' });

  arr(def.items).forEach((raw, i) => {
    const item = rec(raw);
    const pointer = `/items/${i}`;
    const page = pages[pages.length - 1] as PageInput;
    const itemId = str(item.itemId) ?? `item${i}`;
    const title = str(item.title);
    const description = str(item.description);
    if ('pageBreakItem' in item) {
      pages.push({ id: uniq(itemId), ...(title ? { title } : {}), ...(description ? { description } : {}), fields: [], source: { itemId } });
      return;
    }
    if ('textItem' in item) {
      if (title) page.fields.push({ id: uniq(itemId), key: itemId, type: 'statement', label: title, style: 'subheading' });
      if (description) page.fields.push({ id: uniq(`${itemId}_text`), key: `${itemId}_text`, type: 'statement', label: description, style: 'paragraph' });
      return;
    }
    if ('imageItem' in item || 'videoItem' in item) {
      unmapped.push({ pointer, reason: `${'imageItem' in item ? 'Image' : 'Video'} item${title ? ` '${title}'` : ''} cannot be shown in a WhatsApp Flow; dropped.` });
      return;
    }
    if ('questionGroupItem' in item) {
      const group = rec(item.questionGroupItem);
      const columns = rec(rec(group.grid).columns);
      const options = mapChoiceOptions(columns, `${pointer}/questionGroupItem/grid/columns`, unmapped).options;
      const rows = arr(group.questions).map(rec).flatMap((q, qi) => {
        const qid = str(q.questionId);
        const key = qid === undefined ? undefined : entryKey(qid);
        const label = str(rec(q.rowQuestion).title);
        if (qid === undefined || key === undefined || label === undefined) {
          unmapped.push({ pointer: `${pointer}/questionGroupItem/questions/${qi}`, reason: 'Grid row without a hexadecimal questionId or title; dropped.' });
          return [];
        }
        return [{ id: qid, key, label, required: q.required === true }];
      });
      if (rows.length === 0 || options.length === 0) {
        unmapped.push({ pointer, reason: 'Grid without rows or columns; dropped.' });
        return;
      }
      if (columns.type === 'CHECKBOX') unmapped.push({ pointer: `${pointer}/questionGroupItem/grid/columns/type`, reason: 'Checkbox grid (several answers per row) is asked with one answer per row.' });
      if (rec(group.grid).shuffleQuestions === true) unmapped.push({ pointer: `${pointer}/questionGroupItem/grid/shuffleQuestions`, reason: 'Rows are shuffled in Google Forms; shown in stored order here.' });
      if (rows.some((r) => r.required) && !rows.every((r) => r.required)) unmapped.push({ pointer: `${pointer}/questionGroupItem/questions`, reason: 'Some grid rows are required and others not; the whole grid is required.' });
      page.fields.push({
        id: uniq(itemId),
        key: `item.${itemId}`,
        type: 'grid',
        label: title ?? 'Grid',
        ...(description ? { help: description } : {}),
        required: rows.some((r) => r.required),
        options,
        rows: rows.map(({ id, key, label }) => ({ id, key, label })),
        source: { itemId, columnType: str(columns.type) ?? 'RADIO' },
      });
      return;
    }
    if ('questionItem' in item) {
      const questionItem = rec(item.questionItem);
      const question = rec(questionItem.question);
      const qid = str(question.questionId);
      const key = qid === undefined ? undefined : entryKey(qid);
      if (qid === undefined || key === undefined) {
        unmapped.push({ pointer, reason: 'Question without a hexadecimal questionId: no entry key to write it back; dropped.' });
        return;
      }
      const id = uniq(qid);
      const base: FieldInput = { id, key, type: 'short_text', label: title ?? key, ...(description ? { help: description } : {}), required: question.required === true, source: { questionId: qid, itemId } };
      const mapped = mapGoogleQuestion(question, base, `${pointer}/questionItem/question`, unmapped);
      if (!mapped) {
        unmapped.push({ pointer, reason: 'Question of an unknown kind; dropped.' });
        return;
      }
      if (questionItem.image !== undefined) unmapped.push({ pointer: `${pointer}/questionItem/image`, reason: 'Question image cannot be shown; the text is kept.' });
      page.fields.push(mapped.field);
      const list = branchesByPage.get(page) ?? [];
      for (const branch of mapped.branches) list.push({ fieldId: id, branch, pointer: `${pointer}/questionItem/question/choiceQuestion/options` });
      branchesByPage.set(page, list);
      return;
    }
    unmapped.push({ pointer, reason: 'Item of an unknown kind; dropped.' });
  });

  const pageIds = new Set(pages.map((p) => p.id));
  pages.forEach((page, pi) => {
    const next = pages[pi + 1]?.id ?? 'end';
    const jumps: Jump[] = [];
    for (const { fieldId, branch, pointer } of branchesByPage.get(page) ?? []) {
      const when = { op: 'equals' as const, field: fieldId, value: branch.optionId };
      if (branch.goToSectionId !== undefined) {
        if (pageIds.has(branch.goToSectionId)) jumps.push({ when, to: branch.goToSectionId });
        else unmapped.push({ pointer, reason: `goToSectionId '${branch.goToSectionId}' is not a section of this form; ignored.` });
      } else if (branch.goToAction === 'SUBMIT_FORM') jumps.push({ when, to: 'end' });
      else if (branch.goToAction === 'NEXT_SECTION') jumps.push({ when, to: next });
      else unmapped.push({ pointer, reason: `goToAction '${branch.goToAction ?? ''}' (restart the form) has no FormModel equivalent; the next section follows.` });
    }
    if (jumps.length > 0) page.jumps = jumps;
  });

  const publishedId = publishedIdOf(str(def.responderUri));
  const meta: Record<string, string | boolean> = {};
  if (publishedId) meta.publishedId = publishedId;
  for (const k of ['responderUri', 'revisionId', 'linkedSheetId'] as const) if (str(def[k])) meta[k] = str(def[k]) as string;
  if (emailCollection) meta.emailCollectionType = emailCollection;
  const state = rec(rec(def.publishSettings).publishState);
  if (typeof state.isAcceptingResponses === 'boolean') {
    meta.isAcceptingResponses = state.isAcceptingResponses;
    if (!state.isAcceptingResponses) unmapped.push({ pointer: '/publishSettings/publishState/isAcceptingResponses', reason: 'The form does not accept responses: the public form cannot be written back to.' });
  }
  const title = str(info.title) ?? str(info.documentTitle) ?? formId;
  const description = str(info.description);
  const input: FormModelInput = { id: formId, title, ...(description ? { description } : {}), source: { system: 'google-forms', formId, meta }, pages };
  const parsed = formModelSchema.safeParse(input);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new AppError('USAGE_INVALID', `Google form ${formId} cannot be represented: ${first ? `${first.path.join('.')}: ${first.message}` : 'invalid model'}`, { details: { unrepresentable: true, issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) } });
  }
  return { model: parsed.data, unmapped };
}
