/**
 * The delivery worker's events wired into the alert service as src/main.ts
 * wires them: a sink answering 503 for a while gives one alert, and one
 * recovery notice once it delivers again; nothing is dropped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../src/config/secret.js';
import { createSqliteQueue } from '../../src/queue/sqlite-queue.js';
import { createAlertService } from '../../src/services/alerts/alert-service.js';
import { createSlackChannel } from '../../src/services/alerts/slack-channel.js';
import { createDeliveryWorker, type DeliveryWorker } from '../../src/services/delivery/worker.js';
import { createAlertIncidentRepo } from '../../src/store/repos/alert-incident-repo.js';
import { leadFlow, openPipelineStore, webhookTo, type PipelineStore } from '../delivery-pipeline/pipeline-kit.js';
import { startLoopbackServer, type LoopbackServer } from '../fakes/shared/loopback-server.js';
import { startSlackWebhookFake, type SlackWebhookFake } from '../fakes/slack/fake-slack-webhook.js';

async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('delivery outage alerts through the worker', () => {
  let sink: LoopbackServer;
  let slack: SlackWebhookFake;
  let pipeline: PipelineStore;
  let worker: DeliveryWorker;

  beforeAll(async () => {
    [sink, slack] = await Promise.all([startLoopbackServer({ handle: () => ({ status: 200, body: { ok: true } }) }), startSlackWebhookFake()]);
    pipeline = await openPipelineStore('sqlite', [leadFlow([webhookTo(sink.url, 'crm')])]);
  });
  afterAll(async () => {
    await worker.stop();
    await Promise.all([sink.close(), slack.close(), pipeline.close()]);
  });

  it('30 failing attempts over 10 submissions: one alert, one recovery, every submission delivered', async () => {
    const alerts = createAlertService({ repo: createAlertIncidentRepo(pipeline.test.store.db), channels: [createSlackChannel({ url: new Secret(slack.url) })], channelRetryDelaysMs: [] });
    const queue = createSqliteQueue({ repo: pipeline.repo, idlePollMs: 5 });
    worker = createDeliveryWorker({
      repo: pipeline.repo, queue, catalogue: pipeline.catalogue,
      config: { deliveryMaxAttempts: 50, deliveryMaxAgeHours: 1, deliveryConcurrency: 4 },
      backoff: { baseMs: 1, capMs: 5 },
      onEvent: (event) => void alerts.onDeliveryEvent(event),
    });
    sink.failNext({ kind: 'status', status: 503, body: { error: 'upstream unavailable' } }, 30);
    const outbox = pipeline.outboxFor(queue);
    for (let n = 0; n < 10; n++) await pipeline.complete(outbox, 'F1', `lead${n}@example.com`);
    await worker.start();
    await until(async () => (await pipeline.repo.countByState()).delivered === 10, 'all deliveries');
    await until(async () => { await alerts.drain(); return slack.messages.length >= 2; }, 'the recovery notice');
    await alerts.drain();
    expect(slack.messages.map((m) => m.text.split('\n')[0])).toEqual(['[ALERT] Deliveries to crm are failing', '[RESOLVED] Deliveries to crm recovered']);
    expect(slack.messages[0]!.text).toContain('HTTP 503');
  });
});
