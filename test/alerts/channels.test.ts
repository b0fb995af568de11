import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../src/config/secret.js';
import type { AlertMessage } from '../../src/services/alerts/alert-channel.js';
import { alertChannelsFromConfig } from '../../src/services/alerts/channels-from-config.js';
import { createEmailChannel } from '../../src/services/alerts/email-channel.js';
import { createSlackChannel } from '../../src/services/alerts/slack-channel.js';
import { createWebhookChannel } from '../../src/services/alerts/webhook-channel.js';
import { startAlertWebhookFake, type AlertWebhookFake } from '../fakes/alert-webhook/fake-alert-webhook.js';
import { startSlackWebhookFake, type SlackWebhookFake } from '../fakes/slack/fake-slack-webhook.js';
import { startSmtpFake, type SmtpFake } from '../fakes/smtp/fake-smtp-server.js';

const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const message = (over: Partial<AlertMessage> = {}): AlertMessage => ({
  id: '3f1c7a2e-0000-4000-8000-000000000001',
  notice: 'alert',
  kind: 'delivery_rejected',
  subject: 'crm:interest',
  severity: 'warning',
  title: 'crm rejected a submission on field "interest"',
  text: 'crm refused submission S1 on field "interest": Invalid option <b>value</b> & more',
  facts: [{ label: 'Sink', value: 'crm (hubspot-forms)' }, { label: 'Field', value: 'interest' }],
  occurrences: 3,
  openedAt: new Date('2026-06-01T10:00:00.000Z'),
  sentAt: new Date(),
  ...over,
});

describe('slack channel', () => {
  let slack: SlackWebhookFake;
  beforeAll(async () => { slack = await startSlackWebhookFake(); });
  afterAll(async () => { await slack.close(); });

  it('posts {text, blocks} as JSON that the incoming webhook accepts, escaping mrkdwn', async () => {
    await createSlackChannel({ url: new Secret(slack.url) }).send(message());
    expect(slack.messages).toHaveLength(1);
    const sent = slack.messages[0]!;
    expect(sent.text).toContain('[ALERT] crm rejected a submission');
    expect(sent.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'context']);
    expect(JSON.stringify(sent.blocks[1])).toContain('Invalid option &lt;b&gt;value&lt;/b&gt; &amp; more');
    expect(JSON.stringify(sent.blocks[2])).toContain('*Field*\\ninterest');
  });

  it('marks recoveries as resolved', async () => {
    await createSlackChannel({ url: new Secret(slack.url) }).send(message({ notice: 'recovery', title: 'Deliveries to crm recovered' }));
    expect(slack.messages.at(-1)?.text).toMatch(/^\[RESOLVED\] Deliveries to crm recovered/);
  });

  it('fails with Slack\'s answer but never the URL (it holds the token)', async () => {
    const wrong = new Secret(slack.url.replace('s3cr3tT0ken', 'revokedT0ken'));
    const error = await createSlackChannel({ url: wrong }).send(message()).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect(error!.message).toBe('slack: HTTP 404: no_service');
    slack.server.failNext({ kind: 'drop-before-processing' });
    const network = await createSlackChannel({ url: new Secret(slack.url) }).send(message()).catch((e: unknown) => e as Error);
    expect(network!.message).toMatch(/^slack: network error/);
    expect(network!.message).not.toContain('s3cr3t');
  });
});

describe('webhook channel', () => {
  let hook: AlertWebhookFake;
  beforeAll(async () => { hook = await startAlertWebhookFake({ secret }); });
  afterAll(async () => { await hook.close(); });

  it('signs with Standard Webhooks; the consumer verifies it and dedupes a re-sent notice', async () => {
    const channel = createWebhookChannel({ url: hook.url, secret: new Secret(secret) });
    await channel.send(message());
    await channel.send(message());
    expect(hook.refusals).toEqual([]);
    expect(hook.events).toHaveLength(1);
    expect(hook.events[0]).toMatchObject({ id: 'msg_3f1c7a2e-0000-4000-8000-000000000001', type: 'flowbridge.alert', data: { notice: 'alert', kind: 'delivery_rejected', subject: 'crm:interest', facts: { Field: 'interest' }, occurrences: 3 } });
    await channel.send(message({ id: 'other', notice: 'recovery' }));
    expect(hook.events.at(-1)?.type).toBe('flowbridge.alert.resolved');
  });

  it('is refused by the consumer with a wrong secret, and reports the status', async () => {
    const channel = createWebhookChannel({ url: hook.url, secret: new Secret('whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA') });
    await expect(channel.send(message({ id: 'x2' }))).rejects.toThrow(/^webhook: HTTP 401/);
  });

  it('refuses a malformed secret at construction with the fix', () => {
    expect(() => createWebhookChannel({ url: hook.url, secret: new Secret('not base64 !!') })).toThrow(/FLOWBRIDGE_ALERT_WEBHOOK_SECRET .*whsec_/);
  });
});

describe('email channel', () => {
  let smtp: SmtpFake;
  beforeAll(async () => { smtp = await startSmtpFake({ user: 'alerts', password: 'p@ss w0rd' }); });
  afterAll(async () => { await smtp.close(); });

  it('authenticates and sends one mail to every recipient', async () => {
    const email = createEmailChannel({ smtpUrl: new Secret(smtp.url), from: 'flowbridge@example.com', to: ['ops@example.com', 'oncall@example.com'] });
    await email.send(message());
    email.close();
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0]!;
    expect(mail).toMatchObject({ user: 'alerts', from: 'flowbridge@example.com', to: ['ops@example.com', 'oncall@example.com'] });
    expect(mail.headers.subject).toBe('Flowbridge [ALERT] crm rejected a submission on field "interest"');
    expect(mail.headers['x-flowbridge-notice']).toBe('alert');
    expect(mail.body).toContain('Field: interest');
  });

  it('reports a refused login by code and reply, never the password', async () => {
    const wrong = smtp.url.replace(encodeURIComponent('p@ss w0rd'), 'guess');
    const email = createEmailChannel({ smtpUrl: new Secret(wrong), from: 'flowbridge@example.com', to: ['ops@example.com'] });
    const error = await email.send(message()).catch((e: unknown) => e as Error);
    email.close();
    expect(error!.message).toMatch(/^email: EAUTH 535/);
    expect(error!.message).not.toContain('guess');
    expect(smtp.authFailures).toContain('alerts');
  });
});

describe('channels from config', () => {
  it('builds the configured channels and lists every incomplete setting at once', () => {
    const built = alertChannelsFromConfig({ alertSlackWebhookUrl: new Secret('https://hooks.slack.com/services/T/B/X'), alertWebhookUrl: 'https://ops.example.com/h', alertWebhookSecret: new Secret(secret), alertSmtpUrl: new Secret('smtp://u:p@127.0.0.1:1'), alertEmailFrom: 'a@example.com', alertEmailTo: ['b@example.com'] });
    expect(built.channels.map((c) => c.name)).toEqual(['slack', 'webhook', 'email']);
    built.close();
    expect(alertChannelsFromConfig({}).channels).toEqual([]);
    expect(() => alertChannelsFromConfig({ alertSmtpUrl: new Secret('smtp://u:hunter2@x:25'), alertWebhookSecret: new Secret(secret) }))
      .toThrow(/WEBHOOK_SECRET is set but FLOWBRIDGE_ALERT_WEBHOOK_URL is not[\s\S]*EMAIL_FROM is not[\s\S]*EMAIL_TO is not/);
  });
});
