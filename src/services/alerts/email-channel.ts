/**
 * Alert email over SMTP with nodemailer, the well-kept Node mail library:
 * the transport comes from `FLOWBRIDGE_ALERT_SMTP_URL` (`smtp://` with
 * STARTTLS when offered, `smtps://` for implicit TLS, credentials in the
 * URL). A failure is reported with nodemailer's error code and the server's
 * reply line only — never the URL, which holds the password.
 * @module
 */
import { createRequire } from 'node:module';
import type Nodemailer from 'nodemailer';
import type { Secret } from '../../config/secret.js';
import { AlertChannelError, headline, shortAnswer, type AlertChannel } from './alert-channel.js';

/** Options of {@link createEmailChannel}. */
export interface EmailChannelOptions {
  readonly smtpUrl: Secret;
  readonly from: string;
  readonly to: readonly string[];
  readonly timeoutMs?: number;
}

/** An email channel; `close` releases the SMTP connection pool. */
export interface EmailChannel extends AlertChannel {
  close(): void;
}

/** The subject line of a notice. */
export function emailSubject(title: string): string {
  return `Flowbridge ${title}`.replace(/[\r\n]+/g, ' ');
}

/** Send notices to fixed recipients over SMTP. */
export function createEmailChannel(options: EmailChannelOptions): EmailChannel {
  const timeout = options.timeoutMs ?? 15_000;
  // Loaded when an SMTP channel is configured, not at every start of the server.
  const nodemailer = createRequire(import.meta.url)('nodemailer') as typeof Nodemailer;
  const transport = nodemailer.createTransport({
    url: options.smtpUrl.reveal(),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  } as Parameters<typeof nodemailer.createTransport>[0]);
  return {
    name: 'email',
    async send(message) {
      const facts = message.facts.map((f) => `${f.label}: ${f.value}`).join('\n');
      try {
        await transport.sendMail({
          from: options.from,
          to: [...options.to],
          subject: emailSubject(headline(message)),
          text: `${message.text}\n\n${facts}\n\nFirst seen ${message.openedAt.toISOString()}, ${message.occurrences} occurrence(s).\n-- Flowbridge (${message.kind}, ${message.subject})\n`,
          headers: { 'X-Flowbridge-Alert-Id': message.id, 'X-Flowbridge-Notice': message.notice },
        });
      } catch (error) {
        throw new AlertChannelError('email', describeSmtpError(error));
      }
    },
    close() {
      transport.close();
    },
  };
}

/** nodemailer's code, the SMTP reply code and reply line; nothing from the URL. */
function describeSmtpError(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'sending failed';
  const e = error as { code?: unknown; responseCode?: unknown; response?: unknown };
  const parts = [typeof e.code === 'string' ? e.code : 'sending failed'];
  if (typeof e.responseCode === 'number') parts.push(String(e.responseCode));
  if (typeof e.response === 'string') parts.push(shortAnswer(e.response));
  return parts.join(' ');
}
