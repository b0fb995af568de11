/**
 * `CASE <column> WHEN <key> THEN <value> … END`: one UPDATE that gives each
 * row of a batch its own value (the keys go in the statement's `IN` list
 * too). Keys and values are bound parameters, never inlined.
 * @module
 */
import { sql, type RawBuilder } from 'kysely';

/** The CASE expression mapping each key of `pairs` to its value; `column` is a fixed identifier of the caller. */
export function caseByKey(column: 'id' | 'flow_token', pairs: ReadonlyArray<readonly [string, string]>): RawBuilder<string> {
  return sql<string>`case ${sql.ref(column)} ${sql.join(pairs.map(([key, value]) => sql`when ${key} then ${value}`), sql` `)} end`;
}
