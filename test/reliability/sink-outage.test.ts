/**
 * Reliability: a sink answers 503 for six hours of simulated time. The real
 * worker, queue, retry policy (72 h age budget, backoff
 * base 1 s, cap 1 h, full jitter) and alert service run on an injected
 * clock that the test moves from one due attempt to the next, so six hours
 * pass in about a second, with the default budgets of the config schema
 * (the attempt default was raised from 25 to 50 after this test showed
 * 25 full-jitter attempts can be spent in under six hours). Jobs back off, none is dropped or dead, all land
 * once the sink is back, and the Slack fake receives exactly one alert and
 * one recovery notice.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/config-schema.js';
import { Secret } from '../../src/config/secret.js';

/** The shipped defaults: the outage must be survived without tuning. */
const defaults = configSchema.parse({});
import { createSqliteQueue } from '../../src/queue/sqlite-queue.js';
import { createAlertService } from '../../src/services/alerts/alert-service.js';
import { createSlackChannel } from '../../src/services/alerts/slack-channel.js';
import { createDeliveryWorker, type DeliveryWorker } from '../../src/services/delivery/worker.js';
import { createAlertIncidentRepo } from '../../src/store/repos/alert-incident-repo.js';
import { leadFlow, openPipelineStore, webhookTo, type PipelineStore } from '../delivery-pipeline/pipeline-kit.js';
import { startLoopbackServer, type LoopbackServer } from '../fakes/shared/loopback-server.js';
import { startSlackWebhookFake, type SlackWebhookFake } from '../fakes/slack/fake-slack-webhook.js';
import { seededRandom } from './serve-process.js';

const HOUR = 60 * 60_000;
const SUBMISSIONS = 20;
const T0 = Date.parse('2026-03-02T09:00:00.000Z');

describe('a sink down for six simulated hours', () => {
  let clock = T0;
  const now = (): Date => new Date(clock);
  let down = true;
  const received: string[] = [];
  let sink: LoopbackServer;
  let slack: SlackWebhookFake;
  let pipeline: PipelineStore;
  let worker: DeliveryWorker | undefined;

  beforeAll(async () => {
    sink = await startLoopbackServer({
      handle: (req) => {
        if (down) return { status: 503, body: { error: 'upstream unavailable' } };
        received.push(String((JSON.parse(req.body) as { data: { submissionId: string } }).data.submissionId));
        return { status: 200, body: { ok: true } };
      },
    });
    slack = await startSlackWebhookFake();
    pipeline = await openPipelineStore('sqlite', [leadFlow([webhookTo(sink.url, 'crm')])], { now });
  });
  afterAll(async () => {
    await worker?.stop();
    await Promise.all([sink.close(), slack.close(), pipeline.close()]);
  });

  /** Wait until nothing runs and nothing is due at the simulated now. */
  async function quiet(): Promise<void> {
    for (let i = 0; i < 4000; i++) {
      const iso = now().toISOString();
      const { rows } = await sql<{ n: number }>`select count(*) as n from delivery_jobs where state = 'running' or (state = 'pending' and next_attempt_at <= ${iso})`.execute(pipeline.test.store.db);
      if (Number(rows[0]?.n) === 0) return;
      await new Promise((r) => setTimeout(r, 2));
    }
    throw new Error('the worker did not settle');
  }

  /** Move the clock to the next due attempt (not past `limit`); false when nothing is pending. */
  async function advance(limit: number): Promise<boolean> {
    const { rows } = await sql<{ at: string | null }>`select min(next_attempt_at) as at from delivery_jobs where state = 'pending'`.execute(pipeline.test.store.db);
    if (rows[0]?.at == null) return false;
    clock = Math.min(Math.max(clock, Date.parse(rows[0].at)), limit);
    return true;
  }

  it('backs off, drops nothing, delivers everything after recovery with one alert and one recovery notice', async () => {
    const alerts = createAlertService({ repo: createAlertIncidentRepo(pipeline.test.store.db), channels: [createSlackChannel({ url: new Secret(slack.url) })], channelRetryDelaysMs: [], now });
    const queue = createSqliteQueue({ repo: pipeline.repo, idlePollMs: 5, now });
    worker = createDeliveryWorker({
      repo: pipeline.repo, queue, catalogue: pipeline.catalogue, now, random: seededRandom(42),
      config: { deliveryMaxAttempts: defaults.deliveryMaxAttempts, deliveryMaxAgeHours: defaults.deliveryMaxAgeHours, deliveryConcurrency: 4 },
      onEvent: (event) => alerts.onDeliveryEvent(event),
    });
    const outbox = pipeline.outboxFor(queue);
    const ids: string[] = [];
    for (let n = 0; n < SUBMISSIONS; n++) ids.push((await pipeline.complete(outbox, 'F1', `lead${n}@example.com`))!);
    await worker.start();

    const outageEnd = T0 + 6 * HOUR;
    while (clock < outageEnd) {
      await quiet();
      if (!(await advance(outageEnd))) break;
      queue.notify();
      if (clock === outageEnd) break;
    }
    await quiet();
    const during = await pipeline.repo.countByState();
    expect(during).toMatchObject({ delivered: 0, dead: 0, failed: 0, pending: SUBMISSIONS });
    const attempts = await pipeline.repo.listAttempts((await pipeline.repo.listJobs({ limit: 1 }))[0]!.id);
    const gaps = attempts.slice(1).map((a, i) => a.startedAt.getTime() - attempts[i]!.startedAt.getTime());

    down = false;
    clock = outageEnd;
    for (let step = 0; step < 200 && (await pipeline.repo.countByState()).delivered < SUBMISSIONS; step++) {
      await quiet();
      await advance(Number.POSITIVE_INFINITY);
      queue.notify();
    }
    await alerts.drain();

    const counts = await pipeline.repo.countByState();
    expect(counts).toMatchObject({ delivered: SUBMISSIONS, dead: 0, failed: 0, pending: 0, running: 0 });
    expect([...received].sort()).toEqual([...ids].sort());
    // Backed off: a handful of attempts per job over six hours, spaced further apart as the outage went on.
    const perJob = (await pipeline.repo.listJobs({ limit: 100 })).map((j) => j.attempts);
    console.log(`[reliability] 6 h outage: attempts per job during the outage ${attempts.length} (all jobs after recovery: ${Math.min(...perJob)}–${Math.max(...perJob)}); ` +
      `largest gap ${(Math.max(...gaps) / 60_000).toFixed(0)} min; last delivery ${((clock - outageEnd) / 60_000).toFixed(0)} min after the sink came back; Slack messages ${slack.messages.length}`);
    expect(attempts.length).toBeGreaterThanOrEqual(5);
    expect(attempts.length).toBeLessThan(40);
    expect(Math.max(...gaps)).toBeGreaterThan(10 * 60_000);
    expect(slack.messages.map((m) => m.text.split('\n')[0])).toEqual(['[ALERT] Deliveries to crm are failing', '[RESOLVED] Deliveries to crm recovered']);
    expect(slack.messages[0]!.text).toContain('HTTP 503');
  }, 60_000);
});
