/**
 * Check before writing, for the Jotform sink: "Add a submission" takes no
 * idempotency key, so a retry after an attempt whose answer was lost reads
 * the form's newest submissions (`GET /form/{id}/submissions?orderby=
 * created_at&limit=100`; Jotform API "Get form submissions") and looks for
 * one whose answers equal what we sent — `answers[qid].answer`, a string or
 * an object of sub-fields (read shape unconfirmed). No time filter: Jotform
 * prints `created_at` in the account's time zone.
 * @module
 */
import { classifyStatus } from '../sink-connector.js';
import { lookupJson, type EarlierWrite } from '../earlier-attempt.js';

/** What the lookup found. */
export type EarlierSubmission = EarlierWrite;

/** What the lookup needs. */
export interface FindEarlierSubmissionInput {
  readonly fetch: typeof fetch;
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly formId: string;
  readonly fields: ReadonlyArray<readonly [string, string]>;
  readonly timeoutMs: number;
}

const LIMIT = 100;

/** `submission[3][first]` → ['3', 'first']. */
const parts = (name: string): [string, string | undefined] => {
  const m = /^submission\[([^\]]+)\](?:\[([^\]]+)\])?$/.exec(name);
  return [m?.[1] ?? name, m?.[2]];
};

function answerText(v: unknown): string {
  if (Array.isArray(v)) return v.map(String).join('\n');
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

function matches(fields: FindEarlierSubmissionInput['fields'], answers: Record<string, unknown>): boolean {
  const sent = new Set<string>();
  for (const [name, value] of fields) {
    const [qid, sub] = parts(name);
    sent.add(qid);
    const answer = (answers[qid] as { answer?: unknown } | undefined)?.answer;
    const got = sub === undefined ? answerText(answer) : answerText((answer as Record<string, unknown> | undefined)?.[sub]);
    if (got !== value) return false;
  }
  // Nothing else answered: a submission with more answers than ours is not ours.
  return Object.entries(answers).every(([qid, a]) => {
    const answer = (a as { answer?: unknown }).answer;
    return sent.has(qid) || (answerText(answer) === '' && typeof answer !== 'object');
  });
}

/** Look for a submission of ours written by an earlier attempt. */
export async function findEarlierSubmission(input: FindEarlierSubmissionInput): Promise<EarlierSubmission> {
  const query = new URLSearchParams({ orderby: 'created_at', limit: String(LIMIT), offset: '0' });
  const { response, body } = await lookupJson<{ responseCode?: unknown; message?: unknown; content?: unknown }>(input.fetch, `${input.baseUrl.replace(/\/+$/, '')}/form/${encodeURIComponent(input.formId)}/submissions?${query.toString()}`, { apikey: input.apiKey }, input.timeoutMs);
  const status = typeof body.responseCode === 'number' ? body.responseCode : response.status;
  if (!response.ok || status >= 300) {
    const message = typeof body.message === 'string' ? body.message.trim() : `HTTP ${status}`;
    return { kind: 'failed', outcome: classifyStatus(status, `Jotform could not list submissions to check for an earlier write: ${message}`, response.headers.get('retry-after')) };
  }
  for (const s of Array.isArray(body.content) ? (body.content as Array<{ id?: unknown; answers?: unknown }>) : []) {
    if (typeof s.id === 'string' && s.answers !== null && typeof s.answers === 'object' && matches(input.fields, s.answers as Record<string, unknown>)) return { kind: 'found', id: s.id };
  }
  return { kind: 'none' };
}
