/**
 * Per-statement SQLite timing for any benchmark or script (not a benchmark
 * itself): preloaded with `node --import tsx --import ./bench/sql-time.ts
 * bench/delivery.bench.ts`, it wraps better-sqlite3's `prepare` so every
 * statement's run time is summed by SQL text (values are bound, so a text
 * is one query shape), and prints the 25 costliest to stderr at exit:
 * total ms, count, µs per run, SQL. This is how the per-submission SQL cost
 * quoted in the delivery notes was measured.
 * @module
 */
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';

type Statement = BetterSqlite3.Statement;
const Database = createRequire(`${process.cwd()}/package.json`)('better-sqlite3') as typeof BetterSqlite3;
const stats = new Map<string, { n: number; ns: bigint }>();
type Prepare = (this: BetterSqlite3.Database, sql: string) => Statement;
const proto = Database.prototype as unknown as { prepare: Prepare };
const prepare = proto.prepare;

function shape(sql: string): string {
  return sql.replace(/\s+/g, ' ').replace(/\(\?(, \?)*\)(, \(\?(, \?)*\))*/g, '(?..)').slice(0, 160);
}

proto.prepare = function timedPrepare(this: BetterSqlite3.Database, sql: string): Statement {
  const statement = prepare.call(this, sql);
  const key = shape(sql);
  const timed = <K extends 'all' | 'run' | 'get' | 'iterate'>(method: K) => (...args: unknown[]): unknown => {
    const start = process.hrtime.bigint();
    try {
      return (statement[method] as (...a: unknown[]) => unknown).apply(statement, args);
    } finally {
      const s = stats.get(key) ?? { n: 0, ns: 0n };
      s.n += 1;
      s.ns += process.hrtime.bigint() - start;
      stats.set(key, s);
    }
  };
  return { reader: statement.reader, busy: false, all: timed('all'), run: timed('run'), get: timed('get'), iterate: timed('iterate') } as unknown as Statement;
};

process.on('exit', () => {
  for (const [sql, s] of [...stats].sort((a, b) => Number(b[1].ns - a[1].ns)).slice(0, 25)) {
    process.stderr.write(`${(Number(s.ns) / 1e6).toFixed(0).padStart(7)} ms ${String(s.n).padStart(7)} ${(Number(s.ns) / 1e3 / s.n).toFixed(1).padStart(8)} µs  ${sql}\n`);
  }
});
