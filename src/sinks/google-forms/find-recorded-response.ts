/**
 * Check before writing, for the Google Forms sink: the public POST has no
 * idempotency key, but with an OAuth token (scope
 * `forms.responses.readonly`) the Forms API lists responses since a time
 * (`GET /v1/forms/{formId}/responses?filter=timestamp >= …`, spec "Form
 * sources" §2.2–2.3). A retry after an attempt whose answer was lost looks
 * for a response with exactly our answers since that attempt (minus a minute
 * of clock skew) before posting again.
 * @module
 */
import type { SourceValue } from '../../core/compile/map-answers-to-source.js';
import type { FormField, FormModel } from '../../core/form/index.js';
import { classifyStatus } from '../sink-connector.js';
import { lookupJson, type EarlierWrite } from '../earlier-attempt.js';

/** What the lookup found. */
export type RecordedResponse = EarlierWrite;

/** What the lookup needs. */
export interface FindRecordedResponseInput {
  readonly fetch: typeof fetch;
  readonly apiBaseUrl: string;
  readonly token: string;
  readonly form: FormModel;
  readonly answers: Readonly<Record<string, SourceValue>>;
  readonly since: string;
  readonly timeoutMs: number;
}

const SKEW_MS = 60_000;
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** The values the read API would show for one answered field, by questionId. */
function expected(field: FormField, v: SourceValue, out: Map<string, string[]>): void {
  const qid = field.source?.['questionId'];
  if (field.type === 'grid' && typeof v === 'object' && !Array.isArray(v)) {
    for (const row of field.rows ?? []) if (v[row.key] !== undefined) out.set(row.id, [v[row.key] ?? '']);
    return;
  }
  if (typeof qid !== 'string') return;
  const values = Array.isArray(v) ? v.map(str) : [str(v)];
  if (field.type === 'date' || field.type === 'datetime') {
    const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?/.exec(values[0] ?? '');
    const date = field.source?.['includeYear'] === false ? `${m?.[2] ?? ''}-${m?.[3] ?? ''}` : `${m?.[1] ?? ''}-${m?.[2] ?? ''}-${m?.[3] ?? ''}`;
    out.set(qid, [m?.[4] !== undefined && field.type === 'datetime' ? `${date} ${m[4]}:${m[5] ?? ''}` : date]);
    return;
  }
  if (field.type === 'time') {
    const m = /^(\d{1,2}):(\d{2})/.exec(values[0] ?? '');
    out.set(qid, [`${(m?.[1] ?? '').padStart(2, '0')}:${m?.[2] ?? ''}`]);
    return;
  }
  const known = new Set((field.options ?? []).map((o) => o.value));
  const others = field.options ? values.filter((x) => !known.has(x)) : [];
  out.set(qid, [...values.filter((x) => !field.options || known.has(x)), ...(others.length > 0 ? [others.join(', ')] : [])]);
}

function matches(want: Map<string, string[]>, answers: Record<string, unknown>): boolean {
  const got = new Map<string, string[]>();
  for (const [qid, a] of Object.entries(answers)) {
    const list = (a as { textAnswers?: { answers?: Array<{ value?: unknown }> } }).textAnswers?.answers ?? [];
    got.set(qid, list.map((x) => str(x.value)));
  }
  if (got.size !== want.size) return false;
  return [...want].every(([qid, values]) => JSON.stringify([...(got.get(qid) ?? [])].sort()) === JSON.stringify([...values].sort()));
}

/** Look for the response an earlier attempt recorded. */
export async function findRecordedResponse(input: FindRecordedResponseInput): Promise<RecordedResponse> {
  const formId = input.form.source.formId;
  if (formId === undefined) return { kind: 'none' };
  const want = new Map<string, string[]>();
  for (const field of input.form.pages.flatMap((p) => p.fields)) {
    const v = input.answers[field.key];
    if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0) || field.type === 'file' || field.type === 'statement') continue;
    expected(field, v, want);
  }
  const after = new Date(Date.parse(input.since) - SKEW_MS).toISOString();
  let pageToken: string | undefined;
  do {
    const query = new URLSearchParams({ filter: `timestamp >= ${after}`, ...(pageToken ? { pageToken } : {}) });
    const { response, body } = await lookupJson<{ responses?: unknown; nextPageToken?: unknown; error?: { message?: unknown } }>(input.fetch, `${input.apiBaseUrl.replace(/\/+$/, '')}/v1/forms/${encodeURIComponent(formId)}/responses?${query.toString()}`, { authorization: `Bearer ${input.token}` }, input.timeoutMs);
    if (!response.ok) {
      const message = typeof body.error?.message === 'string' ? body.error.message : `HTTP ${response.status}`;
      return { kind: 'failed', outcome: classifyStatus(response.status, `Google Forms could not list responses to check for an earlier write: ${message}`, response.headers.get('retry-after')) };
    }
    for (const r of Array.isArray(body.responses) ? body.responses : []) {
      const item = r as { responseId?: unknown; answers?: unknown };
      if (typeof item.responseId === 'string' && matches(want, (item.answers ?? {}) as Record<string, unknown>)) return { kind: 'found', id: item.responseId };
    }
    pageToken = typeof body.nextPageToken === 'string' && body.nextPageToken !== '' ? body.nextPageToken : undefined;
  } while (pageToken !== undefined);
  return { kind: 'none' };
}
