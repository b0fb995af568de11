/**
 * Where alerts go: one small interface per destination (Slack-compatible
 * incoming webhook, email over SMTP, a generic signed webhook). A channel
 * sends one notice or throws an {@link AlertChannelError} whose message is
 * safe to log: it never holds the destination URL (Slack URLs carry their
 * token), credentials or request headers.
 * @module
 */
import type { AlertNotice, AlertSeverity } from '../../store/repos/alert-incident-repo.js';

/** One labelled detail of a notice (sink, field, flow, reason…). */
export interface AlertFact {
  readonly label: string;
  readonly value: string;
}

/** A notice ready to send, the same for every channel. */
export interface AlertMessage {
  /** Stable id of this notice (a retry of the same notice keeps it; webhook consumers dedupe on it). */
  readonly id: string;
  readonly notice: AlertNotice;
  readonly kind: string;
  readonly subject: string;
  readonly severity: AlertSeverity;
  /** One line: what happened to what. */
  readonly title: string;
  /** Plain-text body: what, where, what to do. */
  readonly text: string;
  readonly facts: readonly AlertFact[];
  readonly occurrences: number;
  readonly openedAt: Date;
  readonly sentAt: Date;
}

/** A destination of alerts. */
export interface AlertChannel {
  /** Short name for logs and the notification record (`slack`, `email`, `webhook`). */
  readonly name: string;
  /** Send one notice; throws {@link AlertChannelError} when the destination refused or could not be reached. */
  send(message: AlertMessage): Promise<void>;
}

/** A channel failure with a log-safe message. */
export class AlertChannelError extends Error {
  constructor(channel: string, message: string) {
    super(`${channel}: ${message}`);
    this.name = 'AlertChannelError';
  }
}

/** Longest part of a destination's answer kept in an error. */
const MAX_ANSWER = 200;

/** A destination's answer, shortened to one line. */
export function shortAnswer(text: string): string {
  const t = text.trim().replace(/\s+/g, ' ');
  return t.length > MAX_ANSWER ? `${t.slice(0, MAX_ANSWER)}…` : t;
}

/** Default time a channel may take to send one notice. */
export const CHANNEL_TIMEOUT_MS = 10_000;

/** POST a JSON body; throws a log-safe {@link AlertChannelError} for a network failure or a non-2xx answer. */
export async function postJson(channel: string, fetchImpl: typeof fetch, url: string, body: string, headers: Record<string, string> = {}, timeoutMs = CHANNEL_TIMEOUT_MS): Promise<string> {
  let res: Response;
  try {
    res = await fetchImpl(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    const cause = error instanceof Error ? (error as { cause?: { code?: unknown } }).cause : undefined;
    const code = typeof cause?.code === 'string' ? ` (${cause.code})` : '';
    throw new AlertChannelError(channel, timedOut ? `no answer within ${timeoutMs} ms` : `network error${code}`);
  }
  const text = await res.text().catch(() => '');
  if (res.status < 200 || res.status >= 300) {
    const answer = shortAnswer(text);
    throw new AlertChannelError(channel, `HTTP ${res.status}${answer === '' ? '' : `: ${answer}`}`);
  }
  return text;
}

/** The notice's headline with its state: `[ALERT]`, `[STILL FAILING]`, `[RESOLVED]`. */
export function headline(message: AlertMessage): string {
  const tag = message.notice === 'recovery' ? 'RESOLVED' : message.notice === 'reminder' ? 'STILL FAILING' : message.severity === 'info' ? 'NOTICE' : 'ALERT';
  return `[${tag}] ${message.title}`;
}
