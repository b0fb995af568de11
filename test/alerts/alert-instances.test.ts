/**
 * Two server instances on one PostgreSQL database (each with its own pool
 * and alert service) seeing the same outage at the same time: one alert and
 * one recovery in all, not one per instance.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../src/config/secret.js';
import { createAlertService, type AlertService } from '../../src/services/alerts/alert-service.js';
import type { DeliveryAlertEvent } from '../../src/services/alerts/delivery-alerts.js';
import { createSlackChannel } from '../../src/services/alerts/slack-channel.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { openTestDatabase, type TestDatabase } from '../../src/store/open-test-database.js';
import { createAlertIncidentRepo } from '../../src/store/repos/alert-incident-repo.js';
import { startSlackWebhookFake, type SlackWebhookFake } from '../fakes/slack/fake-slack-webhook.js';

describe('alerts from two instances on PostgreSQL', () => {
  let test: TestDatabase;
  let slack: SlackWebhookFake;
  let instances: AlertService[];

  beforeAll(async () => {
    test = await openTestDatabase('postgres');
    await migrateToLatest(test.store);
    slack = await startSlackWebhookFake();
    const channel = createSlackChannel({ url: new Secret(slack.url) });
    instances = [test.store, test.reopen()].map((store) => createAlertService({ repo: createAlertIncidentRepo(store.db), channels: [channel], channelRetryDelaysMs: [] }));
  });
  afterAll(async () => {
    await Promise.all([slack.close(), test.cleanup()]);
  });

  const event = (kind: DeliveryAlertEvent['kind'], n: number): DeliveryAlertEvent => ({
    kind, sinkName: 'crm', flowId: 'F1', reason: 'HTTP 502',
    job: { id: `job-${n}`, submissionId: `sub-${n}`, attempts: 4, sinkType: 'hubspot-forms', generation: 0 },
  });

  it('sends one alert and one recovery however the events are spread over the instances', async () => {
    await Promise.all(Array.from({ length: 40 }, (_, n) => instances[n % 2]!.onDeliveryEvent(event(n % 7 === 0 ? 'dead' : 'retrying', n))));
    await Promise.all(instances.map((i) => i.drain()));
    expect(slack.messages).toHaveLength(1);
    await Promise.all([instances[0]!.onDeliveryEvent(event('recovered', 100)), instances[1]!.onDeliveryEvent(event('recovered', 101))]);
    await Promise.all(instances.map((i) => i.drain()));
    const lines = slack.messages.map((m) => m.text.split('\n')[0]);
    expect(lines).toHaveLength(2);
    // whichever event won the claim (a retry or a dead letter) wrote the alert
    expect(lines[0]).toMatch(/^\[ALERT\] Deliver(y|ies) to crm /);
    expect(lines[1]).toBe('[RESOLVED] Deliveries to crm recovered');
  });
});
