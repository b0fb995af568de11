/**
 * Completing sessions, a batch at a time, inside one transaction (the session
 * repository group-commits concurrent completions). Each step is one
 * statement for the whole batch, so a batch costs the same few round trips
 * whatever its size:
 *
 * 1. `UPDATE flow_sessions … WHERE flow_token IN (…) AND status <> 'completed'
 *    RETURNING …` takes the row locks (PostgreSQL) or the write lock (SQLite)
 *    first, so a concurrent duplicate in another transaction waits, then sees
 *    `completed` and changes nothing;
 * 2. the tokens it did not change are looked up once, to tell a duplicate
 *    from an unknown token;
 * 3. one multi-row `INSERT INTO submissions … ON CONFLICT (flow_token) DO
 *    NOTHING RETURNING` (the UNIQUE flow_token is the backstop);
 * 4. each hook once, with every submission of the batch it was given for.
 *
 * A token given twice in one batch completes once: the first request wins.
 * @module
 */
import type { Transaction } from 'kysely';
import type { Database } from '../database.js';
import type { CompleteResult, CompletedSubmission, CompletionHook } from './session-repo.js';
import { newRowId } from '../row-id.js';

/** One caller's completion. */
export interface CompleteRequest {
  readonly flowToken: string;
  readonly responseJson: string;
  readonly hook: CompletionHook | undefined;
}

/** Complete `requests` inside `trx`; one result per request, in order. */
export async function completeBatch(trx: Transaction<Database>, requests: readonly CompleteRequest[], at: string): Promise<CompleteResult[]> {
  const results: Array<CompleteResult | undefined> = requests.map(() => undefined);
  const firstOf = new Map<string, number>();
  requests.forEach((r, i) => {
    if (!firstOf.has(r.flowToken)) firstOf.set(r.flowToken, i);
  });
  const tokens = [...firstOf.keys()];
  const updated = await trx
    .updateTable('flow_sessions')
    .set({ status: 'completed', completed_at: at })
    .where('flow_token', 'in', tokens)
    .where('status', '<>', 'completed')
    .returning(['flow_token', 'flow_id', 'form_id', 'contact_phone', 'entry_point', 'campaign'])
    .execute();
  const sessionOf = new Map(updated.map((row) => [row.flow_token, row]));

  const untouched = tokens.filter((t) => !sessionOf.has(t));
  if (untouched.length > 0) {
    const existing = new Set((await trx.selectFrom('flow_sessions').select('flow_token').where('flow_token', 'in', untouched).execute()).map((r) => r.flow_token));
    for (const token of untouched) results[firstOf.get(token)!] = { created: false, reason: existing.has(token) ? 'duplicate' : 'unknown_token' };
  }
  if (updated.length === 0) return sameAsFirst(requests, firstOf, results);

  const rows = updated.map((s) => ({ id: newRowId(), flow_token: s.flow_token, response_json: requests[firstOf.get(s.flow_token)!]!.responseJson, created_at: at }));
  const inserted = new Set((await trx
    .insertInto('submissions')
    .values(rows)
    .onConflict((oc) => oc.column('flow_token').doNothing())
    .returning('flow_token')
    .execute()).map((r) => r.flow_token));

  const perHook = new Map<CompletionHook, CompletedSubmission[]>();
  for (const row of rows) {
    const index = firstOf.get(row.flow_token)!;
    if (!inserted.has(row.flow_token)) {
      results[index] = { created: false, reason: 'duplicate' };
      continue;
    }
    results[index] = { created: true, submissionId: row.id };
    const { hook, responseJson } = requests[index]!;
    if (hook === undefined) continue;
    const s = sessionOf.get(row.flow_token)!;
    const list = perHook.get(hook) ?? [];
    list.push({
      submissionId: row.id, flowToken: row.flow_token, flowId: s.flow_id, formId: s.form_id, contactPhone: s.contact_phone,
      entryPoint: s.entry_point, campaign: s.campaign, responseJson, completedAt: at,
    });
    perHook.set(hook, list);
  }
  for (const [hook, submissions] of perHook) await hook(trx, submissions);
  return sameAsFirst(requests, firstOf, results);
}

/** A token's later requests in the batch: a duplicate of the first, or unknown like it. */
function sameAsFirst(requests: readonly CompleteRequest[], firstOf: ReadonlyMap<string, number>, results: ReadonlyArray<CompleteResult | undefined>): CompleteResult[] {
  return requests.map((r, i) => {
    const first = results[firstOf.get(r.flowToken)!]!;
    if (firstOf.get(r.flowToken) === i) return first;
    return first.created ? { created: false, reason: 'duplicate' } : first;
  });
}
