import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Secret } from '../../src/config/secret.js';
import { createAlertService, type AlertService } from '../../src/services/alerts/alert-service.js';
import type { DeliveryAlertEvent } from '../../src/services/alerts/delivery-alerts.js';
import { createEmailChannel, type EmailChannel } from '../../src/services/alerts/email-channel.js';
import { createSlackChannel } from '../../src/services/alerts/slack-channel.js';
import { createWebhookChannel } from '../../src/services/alerts/webhook-channel.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { openTestDatabase, type TestDatabase } from '../../src/store/open-test-database.js';
import { createAlertIncidentRepo, type AlertIncidentRepo } from '../../src/store/repos/alert-incident-repo.js';
import { parseFlowsEvent } from '../../src/whatsapp/webhook/flows-event.js';
import { startAlertWebhookFake, type AlertWebhookFake } from '../fakes/alert-webhook/fake-alert-webhook.js';
import { startSlackWebhookFake, type SlackWebhookFake } from '../fakes/slack/fake-slack-webhook.js';
import { startSmtpFake, type SmtpFake } from '../fakes/smtp/fake-smtp-server.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const MIN = 60_000;

describe('alert service', () => {
  let test: TestDatabase;
  let repo: AlertIncidentRepo;
  let slack: SlackWebhookFake;
  let hook: AlertWebhookFake;
  let smtp: SmtpFake;
  let email: EmailChannel;
  let service: AlertService;
  let clock = new Date();
  const logs: string[] = [];
  const log = { debug() {}, info() {}, warn: (o: object, m: string) => void logs.push(`${m} ${JSON.stringify(o)}`), error: (o: object, m: string) => void logs.push(`${m} ${JSON.stringify(o)}`) };
  const advance = (ms: number): void => void (clock = new Date(clock.getTime() + ms));
  const counts = () => ({ slack: slack.messages.length, webhook: hook.events.length, email: smtp.mails.length });

  beforeAll(async () => {
    test = await openTestDatabase('sqlite');
    await migrateToLatest(test.store);
    repo = createAlertIncidentRepo(test.store.db, { now: () => clock });
    [slack, hook, smtp] = await Promise.all([startSlackWebhookFake(), startAlertWebhookFake({ secret: SECRET }), startSmtpFake({ user: 'alerts', password: 'sm7p-pass' })]);
    email = createEmailChannel({ smtpUrl: new Secret(smtp.url), from: 'flowbridge@example.com', to: ['ops@example.com'] });
    service = createAlertService({
      repo, log, now: () => clock, channelRetryDelaysMs: [0],
      channels: [createSlackChannel({ url: new Secret(slack.url) }), createWebhookChannel({ url: hook.url, secret: new Secret(SECRET) }), email],
    });
  });
  afterAll(async () => {
    email.close();
    await Promise.all([slack.close(), hook.close(), smtp.close(), test.cleanup()]);
  });
  beforeEach(async () => {
    await service.drain();
    advance(24 * 60 * MIN);
    slack.messages.length = 0;
    hook.events.length = 0;
    smtp.mails.length = 0;
    logs.length = 0;
  });

  const event = (kind: DeliveryAlertEvent['kind'], sinkName: string, n: number, extra: Partial<DeliveryAlertEvent> = {}): DeliveryAlertEvent => ({
    kind, sinkName, flowId: 'F1', reason: 'HTTP 503: upstream unavailable',
    job: { id: `job-${n}`, submissionId: `sub-${n}`, attempts: 3 + (n % 5), sinkType: 'hubspot-forms', generation: 0, nextAttemptAt: clock }, ...extra,
  });

  it('100 failing deliveries of one sink give one alert per channel; recovery gives one notice; later successes nothing', async () => {
    for (let n = 0; n < 100; n++) {
      advance(MIN);
      await service.onDeliveryEvent(event(n % 10 === 9 ? 'dead' : 'retrying', 'crm', n));
    }
    await service.drain();
    expect(counts()).toEqual({ slack: 1, webhook: 1, email: 1 });
    expect(slack.messages[0]!.text).toContain('[ALERT] Deliveries to crm are failing');
    expect((await repo.get('delivery_outage', 'crm'))?.occurrences).toBe(100);

    await service.onDeliveryEvent(event('recovered', 'crm', 200));
    for (let n = 0; n < 20; n++) await service.onDeliveryEvent(event('delivered', 'crm', 300 + n));
    await service.drain();
    expect(counts()).toEqual({ slack: 2, webhook: 2, email: 2 });
    expect(slack.messages[1]!.text).toContain('[RESOLVED] Deliveries to crm recovered');
    expect(hook.events[1]).toMatchObject({ type: 'flowbridge.alert.resolved', data: { kind: 'delivery_outage', subject: 'crm' } });
  });

  it('does not alert for the first retries of a job (a blip is not an outage)', async () => {
    await service.onDeliveryEvent(event('retrying', 'blip', 0, { job: { id: 'j', submissionId: 's', attempts: 1, sinkType: 'webhook', generation: 0 } }));
    await service.onDeliveryEvent(event('recovered', 'blip', 1));
    await service.drain();
    expect(counts()).toEqual({ slack: 0, webhook: 0, email: 0 });
  });

  it('a rejection names the field and the sink\'s own message; more rejections within the hour stay silent, then one reminder', async () => {
    const rejected = (n: number) => event('permanent', 'hubspot', n, { field: 'interest', reason: 'INVALID_OPTION: "Maybe" is not a valid option for interest' });
    await service.onDeliveryEvent(rejected(1));
    for (let n = 2; n < 30; n++) await service.onDeliveryEvent(rejected(n));
    await service.drain();
    expect(counts()).toEqual({ slack: 1, webhook: 1, email: 1 });
    expect(slack.messages[0]!.text).toContain('hubspot rejected a submission on field "interest"');
    expect(slack.messages[0]!.text).toContain('INVALID_OPTION: "Maybe" is not a valid option for interest');
    expect(hook.events[0]!.data).toMatchObject({ kind: 'delivery_rejected', subject: 'hubspot:interest', facts: { Field: 'interest' } });
    advance(61 * MIN);
    await service.onDeliveryEvent(rejected(31));
    await service.drain();
    expect(slack.messages.map((m) => m.text.split('\n')[0])).toEqual(['[ALERT] hubspot rejected a submission on field "interest"', '[STILL FAILING] hubspot rejected a submission on field "interest"']);
  });

  it('a failing channel is logged and recorded, the others still get the alert, and nothing is thrown', async () => {
    hook.server.failNext({ kind: 'status', status: 500 }, 2);
    const outcome = await service.raise({ kind: 'test', subject: 'channels', severity: 'critical', title: 'Test alert', text: 'x', facts: [] });
    expect(outcome).toEqual({ sent: 'alert', channelsOk: ['slack', 'email'], channelsFailed: ['webhook'] });
    const incident = await repo.get('test', 'channels');
    expect((await repo.notifications({ incidentId: incident!.id }))[0]).toMatchObject({ channelsOk: ['slack', 'email'], channelsFailed: ['webhook'] });
    expect(logs.some((l) => l.startsWith('alert notification failed') && l.includes('webhook: HTTP 500'))).toBe(true);
  });

  it('a channel failing once is retried and the notice goes out', async () => {
    slack.server.failNext({ kind: 'status', status: 503 }, 1);
    const outcome = await service.raise({ kind: 'test', subject: 'retry', severity: 'warning', title: 'Retried', text: 'x', facts: [] });
    expect(outcome).toMatchObject({ sent: 'alert', channelsFailed: [] });
    expect(slack.messages).toHaveLength(1);
  });

  it('never throws into the caller when the store fails', async () => {
    const broken = createAlertService({ repo: { ...repo, raise: () => Promise.reject(new Error('database is locked')) }, channels: [], log });
    await expect(broken.onDeliveryEvent(event('dead', 'x', 1))).resolves.toBeUndefined();
    // a direct raise queued behind a slow notification: its failure is reported, never an unhandled rejection
    const queued = await Promise.all([broken.raise({ kind: 'k', subject: 'a', severity: 'info', title: 't', text: 'x', facts: [] }), broken.raise({ kind: 'k', subject: 'b', severity: 'info', title: 't', text: 'x', facts: [] })]);
    expect(queued).toEqual([{ sent: 'none', reason: 'error: database is locked' }, { sent: 'none', reason: 'error: database is locked' }]);
    expect(logs.some((l) => l.includes('database is locked'))).toBe(true);
  });

  it('flows health events: one alert while ACTIVATED, one recovery on DEACTIVATED', async () => {
    const latency = (state: string) => parseFlowsEvent({ event: 'ENDPOINT_LATENCY', message: 'p90 latency above 7000ms', flow_id: '691244242662581', p90_latency: 8000, p50_latency: 500, requests_count: 34, threshold: 7000, alert_state: state });
    await service.onFlowAlert(latency('ACTIVATED'), 'WABA1');
    await service.onFlowAlert(latency('ACTIVATED'), 'WABA1');
    await service.onFlowAlert(latency('DEACTIVATED'), 'WABA1');
    await service.drain();
    expect(slack.messages.map((m) => m.text.split('\n')[0])).toEqual([
      '[ALERT] Flow 691244242662581: endpoint latency past threshold (threshold 7000 ms)',
      '[RESOLVED] Flow 691244242662581: endpoint latency back within threshold (threshold 7000 ms)',
    ]);
    expect(hook.events[0]!.data).toMatchObject({ facts: { 'p90 latency': '8000 ms', WABA: 'WABA1' } });
  });

  it('flow status: throttled and blocked alert; recovery through THROTTLED to PUBLISHED resolves each once', async () => {
    const status = (from: string, to: string) => parseFlowsEvent({ event: 'FLOW_STATUS_CHANGE', flow_id: '77', old_status: from, new_status: to, message: `Flow status changed to ${to}` });
    await service.onFlowAlert(status('PUBLISHED', 'THROTTLED'));
    advance(MIN);
    await service.onFlowAlert(status('THROTTLED', 'BLOCKED'));
    advance(MIN);
    await service.onFlowAlert(status('BLOCKED', 'THROTTLED'));
    advance(MIN);
    await service.onFlowAlert(status('THROTTLED', 'PUBLISHED'));
    await service.drain();
    expect(slack.messages.map((m) => m.text.split('\n')[0])).toEqual([
      '[ALERT] Flow 77 is THROTTLED',
      '[ALERT] Flow 77 is BLOCKED',
      '[RESOLVED] Flow 77 is no longer BLOCKED',
      '[RESOLVED] Flow 77 is no longer THROTTLED',
    ]);
  });

  it('logs never hold the Slack token or the SMTP password', async () => {
    slack.server.failNext({ kind: 'status', status: 500, body: 'boom' }, 2);
    await service.raise({ kind: 'test', subject: 'secrets', severity: 'critical', title: 'Secret check', text: 'x', facts: [] });
    const all = logs.join('\n');
    expect(all).toContain('slack: HTTP 500');
    expect(all).not.toContain('s3cr3tT0ken');
    expect(all).not.toContain('sm7p-pass');
  });
});
