/**
 * Slack-compatible incoming webhook (Slack "Sending messages using incoming
 * webhooks"; Mattermost and Rocket.Chat accept the same): one POST of
 * `{ text, blocks }` as JSON. `text` is the notification/fallback text;
 * `blocks` lay out the headline, the body and the facts. Slack answers 200
 * `ok`, or 400 `invalid_payload`, 403 `invalid_token`, 404 `no_service`,
 * 410 `channel_is_archived`; the answer (never the URL, which holds the
 * token) goes into the error.
 * @module
 */
import type { Secret } from '../../config/secret.js';
import { headline, postJson, type AlertChannel, type AlertMessage } from './alert-channel.js';

/** Slack's limit for a section block's text. */
const MAX_SECTION_TEXT = 3000;
/** Slack allows at most 10 fields per section. */
const MAX_FIELDS = 10;
/** Slack's limit per field text. */
const MAX_FIELD_TEXT = 2000;

const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
/** Escape the three characters Slack's mrkdwn treats as control characters. */
const escapeMrkdwn = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The JSON body posted for a notice. */
export function slackPayload(message: AlertMessage): { text: string; blocks: unknown[] } {
  const title = headline(message);
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(title, 150), emoji: true } },
    { type: 'section', text: { type: 'mrkdwn', text: clip(escapeMrkdwn(message.text.trim() === '' ? title : message.text), MAX_SECTION_TEXT) } },
  ];
  if (message.facts.length > 0) {
    blocks.push({
      type: 'section',
      fields: message.facts.slice(0, MAX_FIELDS).map((f) => ({ type: 'mrkdwn', text: clip(`*${escapeMrkdwn(f.label)}*\n${escapeMrkdwn(f.value)}`, MAX_FIELD_TEXT) })),
    });
  }
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `Flowbridge · ${message.kind} · ${escapeMrkdwn(message.subject)} · ${message.sentAt.toISOString()}` }] });
  return { text: clip(`${title}\n${message.text}`, MAX_SECTION_TEXT), blocks };
}

/** A channel posting to a Slack-compatible incoming webhook. */
export function createSlackChannel(options: { readonly url: Secret; readonly fetch?: typeof fetch; readonly timeoutMs?: number }): AlertChannel {
  const fetchImpl = options.fetch ?? fetch;
  return {
    name: 'slack',
    async send(message) {
      await postJson('slack', fetchImpl, options.url.reveal(), JSON.stringify(slackPayload(message)), {}, options.timeoutMs);
    },
  };
}
