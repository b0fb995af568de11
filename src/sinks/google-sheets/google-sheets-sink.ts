/**
 * Google Sheets sink: one row per submission appended with
 * `spreadsheets.values.append` (Sheets API v4, `INSERT_ROWS`), a header row
 * written first when the sheet is empty. `append` takes no idempotency key,
 * so the row carries the submission id and a later attempt (a retry after a
 * lost answer, or a replay after a mapping fix) reads that column first and,
 * when the row is there, rewrites it in place (`values.update`) instead of
 * appending a second one.
 * @module
 */
import { z } from 'zod';
import type { FormModel } from '../../core/form/index.js';
import { senderOf, unreachable } from '../http/http-sender.js';
import { classifyStatus, defineSink, type DeliveryContext, type DeliveryOutcome } from '../sink-connector.js';
import { columnFields, columnLetter, headerRow, sheetRow } from './sheet-row.js';

const settingsSchema = z.object({
  baseUrl: z.url().default('https://sheets.googleapis.com'),
  /** OAuth access token with the `spreadsheets` (or `drive.file`) scope. */
  accessToken: z.string().min(1),
  /** Default: the Google form's linked response sheet. */
  spreadsheetId: z.string().min(1).optional(),
  sheetName: z.string().min(1).default('Responses'),
  /** Field keys in column order (default: the form's fields in order). */
  columns: z.array(z.string().min(1)).optional(),
  /** Last column holds the submission id, so retries can check before writing. */
  submissionIdColumn: z.boolean().default(true),
  /** Write the header row when the sheet is empty. */
  writeHeader: z.boolean().default(true),
  valueInputOption: z.enum(['USER_ENTERED', 'RAW']).default('USER_ENTERED'),
  timeoutMs: z.number().int().positive().default(30_000),
});

/** Settings of the Google Sheets sink. */
export type GoogleSheetsSinkSettings = z.infer<typeof settingsSchema>;

const ATTEMPT_STEP = 'google-sheets:appended-at';

function spreadsheetFor(form: FormModel, s: GoogleSheetsSinkSettings): string | undefined {
  const linked = form.source.meta?.['linkedSheetId'];
  return s.spreadsheetId ?? (typeof linked === 'string' && linked !== '' ? linked : undefined);
}

/** `Responses` stays bare; other names are quoted as A1 notation requires. */
function sheetRef(name: string): string {
  return /^[A-Za-z0-9_]+$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}

async function call(ctx: DeliveryContext<GoogleSheetsSinkSettings>, url: string, request: { method?: string; body?: string } = {}): Promise<{ ok: true; body: unknown } | { ok: false; outcome: DeliveryOutcome }> {
  const res = await senderOf(ctx).send({
    method: request.method ?? 'GET',
    url,
    headers: { authorization: `Bearer ${ctx.settings.accessToken}`, accept: 'application/json', ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(request.body === undefined ? {} : { body: request.body }),
    timeoutMs: ctx.settings.timeoutMs,
  });
  if (res.kind === 'failed') return { ok: false, outcome: unreachable('Google Sheets', res) };
  let body: unknown;
  try {
    body = JSON.parse(res.text);
  } catch {
    body = undefined;
  }
  if (res.status >= 200 && res.status < 300) return { ok: true, body };
  const e = (body as { error?: { message?: unknown; status?: unknown } } | undefined)?.error;
  const reason = typeof e?.message === 'string' ? (typeof e.status === 'string' ? `${e.message} (${e.status})` : e.message) : `Google Sheets answered HTTP ${res.status}.`;
  return { ok: false, outcome: classifyStatus(res.status, reason, res.retryAfter) };
}

const valuesOf = (body: unknown): unknown[][] => {
  const v = (body as { values?: unknown } | undefined)?.values;
  return Array.isArray(v) ? v.filter((r): r is unknown[] => Array.isArray(r)) : [];
};

/** The Google Sheets append sink. */
export const googleSheetsSink = defineSink<GoogleSheetsSinkSettings>({
  id: 'google-sheets',
  displayName: 'Google Sheets',
  settingsSchema,
  checkForm: (form, s) => (spreadsheetFor(form, s) === undefined ? ['No spreadsheet to write to: set spreadsheetId (a Google form\'s linked response sheet is used when known).'] : []),
  async deliver(ctx, submission) {
    const s = ctx.settings;
    const spreadsheetId = spreadsheetFor(submission.form, s);
    if (spreadsheetId === undefined) return { kind: 'permanent', reason: 'No spreadsheet to write to: set spreadsheetId.' };
    const options = { columns: s.columns, submissionIdColumn: s.submissionIdColumn };
    const sheet = sheetRef(s.sheetName);
    const values = `${s.baseUrl.replace(/\/+$/, '')}/v4/spreadsheets/${encodeURIComponent(spreadsheetId)}/values/`;
    try {
      if (s.submissionIdColumn && (await ctx.progress.get(ATTEMPT_STEP)) !== undefined) {
        const col = columnLetter(columnFields(submission.form, options).length + 1);
        const read = await call(ctx, `${values}${encodeURIComponent(`${sheet}!${col}:${col}`)}`);
        if (!read.ok) return read.outcome;
        const at = valuesOf(read.body).findIndex((r) => r[0] === submission.id);
        if (at >= 0) {
          const row = sheetRow(submission.form, submission.answers, submission.submittedAt, submission.id, options);
          const range = `${sheet}!A${at + 1}:${columnLetter(row.length - 1)}${at + 1}`;
          const put = await call(ctx, `${values}${encodeURIComponent(range)}?valueInputOption=${s.valueInputOption}`, { method: 'PUT', body: JSON.stringify({ range, majorDimension: 'ROWS', values: [row] }) });
          if (!put.ok) return put.outcome;
          return { kind: 'delivered', externalId: range, note: 'The row of an earlier attempt was already in the sheet; rewritten in place.' };
        }
      }
      const rows: unknown[][] = [sheetRow(submission.form, submission.answers, submission.submittedAt, submission.id, options)];
      if (s.writeHeader) {
        const first = await call(ctx, `${values}${encodeURIComponent(`${sheet}!1:1`)}`);
        if (!first.ok) return first.outcome;
        if (valuesOf(first.body).length === 0) rows.unshift(headerRow(submission.form, options));
      }
      await ctx.progress.set(ATTEMPT_STEP, ctx.now().toISOString());
      const range = `${sheet}!A1`;
      const query = `valueInputOption=${s.valueInputOption}&insertDataOption=INSERT_ROWS&includeValuesInResponse=false`;
      const appended = await call(ctx, `${values}${encodeURIComponent(range)}:append?${query}`, { method: 'POST', body: JSON.stringify({ range, majorDimension: 'ROWS', values: rows }) });
      if (!appended.ok) return appended.outcome;
      const updated = (appended.body as { updates?: { updatedRange?: unknown } } | undefined)?.updates?.updatedRange;
      return typeof updated === 'string' ? { kind: 'delivered', externalId: updated } : { kind: 'delivered' };
    } catch (error) {
      return { kind: 'retry', reason: `Google Sheets could not be reached: ${error instanceof Error ? error.message : String(error)}` };
    }
  },
});
