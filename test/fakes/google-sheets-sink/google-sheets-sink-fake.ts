/**
 * Contract fake of the Sheets API v4 `values.append`, `values.update` and `values.get` for
 * one spreadsheet held in memory: exact `Authorization: Bearer <token>`,
 * JSON body whose `range` matches the URL, `majorDimension: ROWS`, rows of
 * scalars, a known `valueInputOption`, existing sheet names (else the
 * fixture's "Unable to parse range"), and the fixture's response shape.
 * @module
 */
import { loadSinkFixture, startFakeSinkServer, type FakeResponse, type FakeSinkServer } from '../google-forms-sink/fake-sink-server.js';

/** One appended row. */
export interface GoogleSheetsLedgerEntry {
  readonly sheet: string;
  readonly row: unknown[];
}

/** Options of {@link startGoogleSheetsSinkFake}. */
export interface GoogleSheetsSinkFakeOptions {
  readonly spreadsheetId: string;
  readonly token: string;
  /** Sheet name → existing rows (e.g. a header). */
  readonly sheets: Record<string, unknown[][]>;
}

const googleError = (code: number, message: string, status: string): FakeResponse => ({ status: code, body: { error: { code, message, status } } });
const colIndex = (letters: string): number => [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
const letter = (i: number): string => (i < 26 ? String.fromCharCode(65 + i) : letter(Math.floor(i / 26) - 1) + String.fromCharCode(65 + (i % 26)));

function parseRange(range: string, sheets: Record<string, unknown[][]>): { sheet: string; rest: string } | undefined {
  const m = /^(?:'((?:[^']|'')+)'|([A-Za-z0-9_]+))!(.+)$/.exec(range);
  const sheet = m ? (m[1]?.replace(/''/g, "'") ?? m[2] ?? '') : '';
  return m && sheet in sheets ? { sheet, rest: m[3] ?? '' } : undefined;
}

/** Start the fake. */
export function startGoogleSheetsSinkFake(options: GoogleSheetsSinkFakeOptions): Promise<FakeSinkServer<GoogleSheetsLedgerEntry>> {
  const sheets = options.sheets;
  return startFakeSinkServer<GoogleSheetsLedgerEntry>((req, accept) => {
    const m = /^\/v4\/spreadsheets\/([^/]+)\/values\/([^/]+?)(:append)?$/.exec(req.path);
    if (!m || m[1] !== options.spreadsheetId) return googleError(404, 'Requested entity was not found.', 'NOT_FOUND');
    if (req.headers.authorization !== `Bearer ${options.token}`) return googleError(401, 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.', 'UNAUTHENTICATED');
    const rangeText = decodeURIComponent(m[2] ?? '');
    const range = parseRange(rangeText, sheets);
    if (!range) return { status: 400, body: { error: { ...(loadSinkFixture('google-sheets', 'values-append-error-400.json') as { error: object }).error, message: `Unable to parse range: ${rangeText}` } } };
    const rows = sheets[range.sheet] ?? [];
    if (req.method === 'GET') {
      const col = /^([A-Z]+):\1$/.exec(range.rest);
      const row = /^(\d+):\1$/.exec(range.rest);
      const values = col ? rows.map((r) => [r[colIndex(col[1] ?? 'A')] ?? '']) : row ? rows.slice(Number(row[1]) - 1, Number(row[1])) : rows;
      const trimmed = values.filter((r) => r.some((c) => c !== ''));
      return { status: 200, body: { range: rangeText, majorDimension: 'ROWS', ...(trimmed.length ? { values: col ? values : trimmed } : {}) } };
    }
    if (req.method === 'PUT' && !m[3]) {
      const cells = /^A(\d+):([A-Z]+)\1$/.exec(range.rest);
      let put: { range?: unknown; values?: unknown };
      try {
        put = JSON.parse(req.body) as typeof put;
      } catch {
        return googleError(400, 'Invalid JSON payload received.', 'INVALID_ARGUMENT');
      }
      const row = Array.isArray(put.values) && Array.isArray(put.values[0]) ? (put.values[0] as unknown[]) : undefined;
      if (!cells || put.range !== rangeText || !row || put.values === undefined || (put.values as unknown[]).length !== 1) return googleError(400, `Invalid update of ${rangeText}`, 'INVALID_ARGUMENT');
      rows[Number(cells[1]) - 1] = row;
      return { status: 200, body: { spreadsheetId: options.spreadsheetId, updatedRange: rangeText, updatedRows: 1, updatedColumns: row.length, updatedCells: row.length } };
    }
    if (req.method !== 'POST' || !m[3]) return googleError(404, 'Requested entity was not found.', 'NOT_FOUND');
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return googleError(400, 'Invalid JSON payload received.', 'INVALID_ARGUMENT');
    const input = req.query.get('valueInputOption');
    if (input !== 'RAW' && input !== 'USER_ENTERED') return googleError(400, `Invalid valueInputOption: ${input ?? '(missing)'}`, 'INVALID_ARGUMENT');
    let body: { range?: unknown; majorDimension?: unknown; values?: unknown };
    try {
      body = JSON.parse(req.body) as typeof body;
    } catch {
      return googleError(400, 'Invalid JSON payload received.', 'INVALID_ARGUMENT');
    }
    if (body.range !== rangeText) return googleError(400, `Requested writing within range [${rangeText}], but tried writing to [${String(body.range)}]`, 'INVALID_ARGUMENT');
    if (body.majorDimension !== undefined && body.majorDimension !== 'ROWS') return googleError(400, 'Invalid majorDimension', 'INVALID_ARGUMENT');
    const values = body.values;
    if (!Array.isArray(values) || values.some((r) => !Array.isArray(r) || r.some((c) => c !== null && typeof c === 'object'))) return googleError(400, 'Invalid values: expected rows of scalars.', 'INVALID_ARGUMENT');
    const start = rows.length + 1;
    for (const row of values as unknown[][]) {
      rows.push(row);
      accept({ sheet: range.sheet, row });
    }
    sheets[range.sheet] = rows;
    const width = Math.max(1, ...(values as unknown[][]).map((r) => r.length));
    const ref = /^[A-Za-z0-9_]+$/.test(range.sheet) ? range.sheet : `'${range.sheet}'`;
    const updates = { spreadsheetId: options.spreadsheetId, updatedRange: `${ref}!A${start}:${letter(width - 1)}${rows.length}`, updatedRows: values.length, updatedColumns: width, updatedCells: width * values.length };
    return { status: 200, body: { spreadsheetId: options.spreadsheetId, tableRange: `${ref}!A1:${letter(width - 1)}${Math.max(1, start - 1)}`, updates } };
  });
}
