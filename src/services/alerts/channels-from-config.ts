/**
 * The alert channels the configuration asks for: Slack when
 * `FLOWBRIDGE_ALERT_SLACK_WEBHOOK_URL` is set, the generic webhook when
 * `FLOWBRIDGE_ALERT_WEBHOOK_URL` is (signed with
 * `FLOWBRIDGE_ALERT_WEBHOOK_SECRET` when set), email when
 * `FLOWBRIDGE_ALERT_SMTP_URL` is (then `…_EMAIL_FROM` and `…_EMAIL_TO` are
 * required). Problems are reported all at once, naming the variables.
 * @module
 */
import type { Config } from '../../config/config-schema.js';
import { AppError } from '../../core/errors.js';
import type { AlertChannel } from './alert-channel.js';
import { createEmailChannel } from './email-channel.js';
import { createSlackChannel } from './slack-channel.js';
import { createWebhookChannel } from './webhook-channel.js';

type AlertConfig = Pick<Config, 'alertSlackWebhookUrl' | 'alertWebhookUrl' | 'alertWebhookSecret' | 'alertSmtpUrl' | 'alertEmailFrom' | 'alertEmailTo'>;

/** Channels built from the configuration, and `close` for the SMTP pool. */
export interface ConfiguredChannels {
  readonly channels: readonly AlertChannel[];
  close(): void;
}

/**
 * Build the configured channels.
 * @throws AppError CONFIG_INVALID listing every incomplete or malformed alert setting.
 */
export function alertChannelsFromConfig(config: AlertConfig, options: { readonly fetch?: typeof fetch } = {}): ConfiguredChannels {
  const problems: string[] = [];
  const channels: AlertChannel[] = [];
  const closers: Array<() => void> = [];
  const fetchOption = options.fetch === undefined ? {} : { fetch: options.fetch };
  if (config.alertSlackWebhookUrl !== undefined) channels.push(createSlackChannel({ url: config.alertSlackWebhookUrl, ...fetchOption }));
  if (config.alertWebhookUrl !== undefined) {
    try {
      channels.push(createWebhookChannel({ url: config.alertWebhookUrl, secret: config.alertWebhookSecret, ...fetchOption }));
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  } else if (config.alertWebhookSecret !== undefined) {
    problems.push('FLOWBRIDGE_ALERT_WEBHOOK_SECRET is set but FLOWBRIDGE_ALERT_WEBHOOK_URL is not. Fix: set the URL, or remove the secret.');
  }
  if (config.alertSmtpUrl !== undefined) {
    if (config.alertEmailFrom === undefined) problems.push('FLOWBRIDGE_ALERT_SMTP_URL is set but FLOWBRIDGE_ALERT_EMAIL_FROM is not. Fix: set the sender address, e.g. flowbridge@example.com.');
    if (config.alertEmailTo === undefined) problems.push('FLOWBRIDGE_ALERT_SMTP_URL is set but FLOWBRIDGE_ALERT_EMAIL_TO is not. Fix: set one or more recipients, comma-separated.');
    if (config.alertEmailFrom !== undefined && config.alertEmailTo !== undefined) {
      const email = createEmailChannel({ smtpUrl: config.alertSmtpUrl, from: config.alertEmailFrom, to: config.alertEmailTo });
      channels.push(email);
      closers.push(() => email.close());
    }
  } else if (config.alertEmailTo !== undefined) {
    problems.push('FLOWBRIDGE_ALERT_EMAIL_TO is set but FLOWBRIDGE_ALERT_SMTP_URL is not. Fix: set the SMTP server, e.g. smtps://user:password@mail.example.com:465.');
  }
  if (problems.length > 0) {
    for (const close of closers) close();
    throw new AppError('CONFIG_INVALID', `Alert configuration is incomplete:\n- ${problems.join('\n- ')}`);
  }
  return { channels, close: () => closers.forEach((close) => close()) };
}
