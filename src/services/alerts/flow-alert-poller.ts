/**
 * Follows the `flows` alerts webhook intake stores (Meta's flow status
 * changes and health thresholds, spec §6.5) and hands each to
 * {@link AlertService.onFlowAlert}, so they reach Slack, email and the
 * webhook without webhook intake knowing about alert channels. The cursor
 * starts when the poller does (events Meta sends while the server is down
 * are re-sent by Meta and stored after the restart) and never goes back;
 * events sharing the cursor's timestamp are remembered by id, so none is
 * skipped or handled twice by this process. Several instances may follow
 * the same feed: incidents deduplicate across them.
 * @module
 */
import { isObject } from '../../core/flow/json.js';
import type { FlowAlertFeed } from '../../store/repos/flow-alert-feed.js';
import { parseFlowsEvent } from '../../whatsapp/webhook/flows-event.js';
import type { LogSink } from '../client-error-recorder.js';
import type { AlertService } from './alert-service.js';

/** Options of {@link createFlowAlertPoller}. */
export interface FlowAlertPollerOptions {
  readonly feed: FlowAlertFeed;
  readonly alerts: Pick<AlertService, 'onFlowAlert'>;
  readonly log?: LogSink;
  /** Default 10 s. */
  readonly intervalMs?: number;
  /** Where the feed starts; default: when the poller is created. */
  readonly startAt?: Date;
  /** Largest batch read at once (default 200). */
  readonly batch?: number;
}

/** A running poller. */
export interface FlowAlertPoller {
  /** Read and handle everything new now; resolves to the number handled. */
  pollOnce(): Promise<number>;
  start(): void;
  /** Stop polling; resolves once a poll in progress has finished. */
  stop(): Promise<void>;
}

/** Build a poller (not started). */
export function createFlowAlertPoller(options: FlowAlertPollerOptions): FlowAlertPoller {
  const interval = options.intervalMs ?? 10_000;
  const batch = options.batch ?? 200;
  let cursor = (options.startAt ?? new Date()).toISOString();
  let seenAtCursor = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;

  async function poll(): Promise<number> {
    let handled = 0;
    for (;;) {
      const items = (await options.feed.since(cursor, batch + seenAtCursor.size)).filter((i) => !(i.receivedAt === cursor && seenAtCursor.has(i.id)));
      for (const item of items.slice(0, batch)) {
        if (item.receivedAt !== cursor) {
          cursor = item.receivedAt;
          seenAtCursor = new Set();
        }
        seenAtCursor.add(item.id);
        let value: unknown;
        try {
          value = JSON.parse(item.payloadJson);
        } catch {
          value = undefined;
        }
        if (isObject(value)) await options.alerts.onFlowAlert(parseFlowsEvent(value), item.wabaId ?? undefined);
        else options.log?.warn({ flowAlertId: item.id }, 'stored flows alert is not a JSON object; skipped');
        handled++;
      }
      if (items.length < batch) return handled;
    }
  }

  const pollOnce = (): Promise<number> => {
    running ??= poll().finally(() => { running = undefined; });
    return running;
  };

  return {
    pollOnce,
    start() {
      if (timer !== undefined) return;
      timer = setInterval(() => {
        pollOnce().catch((err: unknown) => options.log?.error({ err: err instanceof Error ? err.message : String(err) }, 'flows alert poll failed; retried at the next interval'));
      }, interval);
      timer.unref();
    },
    async stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      await running?.catch(() => undefined);
    },
  };
}
