/**
 * Reliability: kill -9 a real `flowbridge serve` at random moments while
 * completions flow through it to two slow sinks, restart, repeat. Every
 * submission reaches every sink; the sink that takes an idempotency key (a
 * Standard Webhooks consumer deduplicating on `webhook-id`) never sees one
 * submission under two ids; HubSpot (no key) sees a repeat only of requests
 * that were in flight when a process died. CI size by default;
 * FLOWBRIDGE_RELIABILITY_FULL=1 (`npm run test:reliability`) runs 1,000
 * completions × 20 kills on SQLite.
 */
import { describe, expect, it } from 'vitest';
import { describeReport, runCrashScenario, type CrashRunOptions, type CrashRunReport } from './crash-run.js';
import { seededRandom } from './serve-process.js';

const FULL = process.env['FLOWBRIDGE_RELIABILITY_FULL'] === '1';
/** Kill moments, victims and posting order come from this seed (printed; set FLOWBRIDGE_RELIABILITY_SEED to repeat a run). */
const SEED = Number(process.env['FLOWBRIDGE_RELIABILITY_SEED'] ?? Math.floor(Math.random() * 2 ** 31));

function expectNothingLostNorDuplicated(r: CrashRunReport): void {
  expect(r.submissions).toBe(r.completions);
  expect(r.deliveredJobs).toBe(2 * r.completions);
  expect(r.missingAtHook).toBe(0);
  expect(r.missingAtHubspot).toBe(0);
  expect(r.hookDuplicates).toBe(0);
  // Only a request in flight at a kill can be repeated, each at most once.
  expect(r.hubspotRepeats).toBeLessThanOrEqual(r.inFlightAtKill.reduce((n, k) => n + k.hubspot, 0));
}

const cases: Array<[string, CrashRunOptions]> = [
  ['SQLite, one process', FULL
    ? { dialect: 'sqlite', processes: 1, completions: 1000, kills: 20, sinkDelayMs: 30, concurrency: 4 }
    : { dialect: 'sqlite', processes: 1, completions: 200, kills: 4, sinkDelayMs: 25, concurrency: 2 }],
  ['PostgreSQL, two processes sharing the queue', FULL
    ? { dialect: 'postgres', processes: 2, completions: 500, kills: 10, sinkDelayMs: 30, concurrency: 4 }
    : { dialect: 'postgres', processes: 2, completions: 60, kills: 2, sinkDelayMs: 25, concurrency: 2 }],
];

describe('kill -9 while completions are delivered', () => {
  it.each(cases)('%s: every submission reaches every sink, no duplicates where a key is taken', async (label, options) => {
    const report = await runCrashScenario({ ...options, random: seededRandom(SEED), deliveryWaitMs: FULL ? 600_000 : 60_000 });
    console.log(describeReport(`${label} (seed ${SEED})`, report));
    expectNothingLostNorDuplicated(report);
  }, FULL ? 900_000 : 120_000);
});
