/**
 * Alerts: `raise` / `resolve` through the incident repository (one alert
 * per incident episode, one recovery notice, rate limits — see
 * `alert-incident-repo.ts`), fanned out to every configured channel. A
 * channel failure is retried briefly, then logged and recorded on the
 * notification; nothing here ever throws into the caller (the delivery
 * worker, webhook intake), and logs carry channel names and log-safe
 * errors only, never URLs or credentials.
 *
 * Subscriptions: {@link AlertService.onDeliveryEvent} takes the delivery
 * worker's events, {@link AlertService.onFlowAlert} Meta's `flows` webhook
 * events; both return promises that never reject, so callers may leave
 * them un-awaited (`drain()` waits for everything in flight).
 * @module
 */
import type { FlowsEvent } from '../../whatsapp/webhook/flows-event.js';
import type { AlertIncident, AlertIncidentRepo, IncidentDecision, RaisePolicy } from '../../store/repos/alert-incident-repo.js';
import type { LogSink } from '../client-error-recorder.js';
import type { AlertChannel, AlertMessage } from './alert-channel.js';
import { ALERT_KINDS, flowEventActions, type AlertInput, type ResolveInput } from './alert-rules.js';
import { deliveryEventActions, type DeliveryAlertEvent, type DeliveryAlertOptions } from './delivery-alerts.js';

/** Options of {@link createAlertService}. */
export interface AlertServiceOptions {
  readonly repo: AlertIncidentRepo;
  readonly channels: readonly AlertChannel[];
  readonly log?: LogSink;
  /** At most one alert per incident key within this window (default 15 min). */
  readonly minIntervalMs?: number;
  /** At most this many alerts and reminders per rolling hour in all (default 30). */
  readonly hourlyCap?: number;
  /** Delays before re-sending to a channel that failed (default 1 s, 5 s). */
  readonly channelRetryDelaysMs?: readonly number[];
  readonly delivery?: Partial<DeliveryAlertOptions>;
  readonly now?: () => Date;
  /** Test hook; default `setTimeout`. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** What a raise or resolve did. */
export type AlertOutcome = { readonly sent: 'alert' | 'reminder' | 'recovery'; readonly channelsOk: readonly string[]; readonly channelsFailed: readonly string[] } | { readonly sent: 'none'; readonly reason: string };

/** The alert service. */
export interface AlertService {
  raise(alert: AlertInput): Promise<AlertOutcome>;
  resolve(resolution: ResolveInput): Promise<AlertOutcome>;
  /** Subscribe to the delivery worker: pass as (or call from) its `onEvent`. */
  onDeliveryEvent(event: DeliveryAlertEvent): Promise<void>;
  /** Subscribe to Meta's `flows` webhook events (call after the event is stored). */
  onFlowAlert(event: FlowsEvent, wabaId?: string): Promise<void>;
  /** Settles when every notification started so far has been sent or given up. */
  drain(): Promise<void>;
}

const MIN = 60_000;
const silent: LogSink = { debug() {}, info() {}, warn() {}, error() {} };
const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Build the service. With no channels it still records incidents (visible to operators) and logs. */
export function createAlertService(options: AlertServiceOptions): AlertService {
  const log = options.log ?? silent;
  const now = options.now ?? (() => new Date());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const retryDelays = options.channelRetryDelaysMs ?? [1000, 5000];
  const basePolicy = { minIntervalMs: options.minIntervalMs ?? 15 * MIN, hourlyCap: options.hourlyCap ?? 30 };
  const inFlight = new Set<Promise<unknown>>();
  /** Outage incidents this process opened, so plain `delivered` events resolve them without a query each. */
  const openOutages = new Set<string>();

  const track = <T>(work: Promise<T>): Promise<T> => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work)).catch(() => undefined);
    return work;
  };

  async function sendToChannel(channel: AlertChannel, message: AlertMessage): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      try {
        await channel.send(message);
        return true;
      } catch (error) {
        const delay = retryDelays[attempt];
        if (delay === undefined) {
          log.error({ channel: channel.name, alertId: message.id, kind: message.kind, subject: message.subject, err: errorText(error) }, 'alert notification failed');
          return false;
        }
        await sleep(delay);
      }
    }
  }

  async function fanOut(decision: IncidentDecision, text: { title: string; text: string; facts: AlertMessage['facts'] }): Promise<AlertOutcome> {
    if (decision.notice === 'none') return { sent: 'none', reason: decision.reason };
    const incident: AlertIncident = decision.incident;
    const message: AlertMessage = {
      id: decision.notificationId, notice: decision.notice, kind: incident.kind, subject: incident.subject, severity: incident.severity,
      title: text.title, text: text.text, facts: text.facts, occurrences: incident.occurrences, openedAt: incident.openedAt, sentAt: now(),
    };
    const results = await Promise.all(options.channels.map(async (c) => [c.name, await sendToChannel(c, message)] as const));
    const ok = results.filter(([, r]) => r).map(([n]) => n);
    const failed = results.filter(([, r]) => !r).map(([n]) => n);
    await options.repo.completeNotification(decision.notificationId, ok, failed);
    log.warn({ alertId: message.id, notice: message.notice, kind: message.kind, subject: message.subject, channelsOk: ok, channelsFailed: failed }, message.title);
    return { sent: decision.notice, channelsOk: ok, channelsFailed: failed };
  }

  async function guarded(what: string, work: () => Promise<AlertOutcome>): Promise<AlertOutcome> {
    try {
      return await work();
    } catch (error) {
      log.error({ err: errorText(error) }, `alert ${what} failed`);
      return { sent: 'none', reason: `error: ${errorText(error)}` };
    }
  }

  type Decided = { readonly decision: IncidentDecision; readonly text: { title: string; text: string; facts: AlertMessage['facts'] } };

  async function decideRaise(alert: AlertInput): Promise<Decided> {
    const policy: RaisePolicy = { ...basePolicy, repeatAfterMs: alert.repeatAfterMs };
    const decision = await options.repo.raise({ kind: alert.kind, subject: alert.subject, severity: alert.severity, title: alert.title, detail: alert.text, field: alert.field }, policy);
    const reminder = decision.notice === 'reminder' ? ` (${decision.incident.occurrences} occurrences since ${decision.incident.openedAt.toISOString()})` : '';
    return { decision, text: { title: alert.title, text: `${alert.text}${reminder}`, facts: alert.facts } };
  }

  async function decideResolve(r: ResolveInput): Promise<Decided> {
    const decision = await options.repo.resolve(r.kind, r.subject);
    if (decision.notice === 'none') return { decision, text: { title: r.title, text: r.text, facts: [] } };
    const i = decision.incident;
    const duration = Math.round((now().getTime() - i.openedAt.getTime()) / MIN);
    return { decision, text: { title: r.title, text: r.text, facts: [{ label: 'Was', value: i.title }, { label: 'Open for', value: `${duration} min, ${i.occurrences} occurrence(s)` }] } };
  }

  /** Notifications go out one after the other, in decision order: a recovery never overtakes its alert. */
  let sending: Promise<unknown> = Promise.resolve();
  const send = (decided: Decided | Promise<Decided>): Promise<AlertOutcome> => {
    // Handled now, awaited (and its failure logged) when its turn comes: never an unhandled rejection meanwhile.
    if (decided instanceof Promise) decided.catch(() => undefined);
    const next = sending.then(() => guarded('notification', async () => {
      const d = await decided;
      return fanOut(d.decision, d.text);
    }));
    sending = next;
    return track(next);
  };

  /**
   * Events are decided one after the other (a `recovered` is never decided before the `retrying` that
   * came first), while their notifications go out in the background: a slow channel never holds the
   * caller or the next decision.
   */
  let chain: Promise<void> = Promise.resolve();
  function ordered(what: string, work: () => Promise<void>): Promise<void> {
    const next = chain.then(work).catch((error: unknown) => log.error({ err: errorText(error) }, `${what} alert handling failed`));
    chain = next;
    return track(next);
  }

  const deliveryOptions: DeliveryAlertOptions = { outageAfterAttempts: 3, rejectionRepeatMs: 60 * MIN, ...options.delivery };

  return {
    raise: (alert) => send(decideRaise(alert)),
    resolve: (r) => send(decideResolve(r)),
    onDeliveryEvent(event) {
      return ordered('delivery', async () => {
        const actions = deliveryEventActions(event, deliveryOptions, (sink) => openOutages.has(sink));
        for (const r of actions.resolve) {
          openOutages.delete(r.subject);
          void send(await decideResolve(r));
        }
        for (const a of actions.raise) {
          if (a.kind === ALERT_KINDS.deliveryOutage) openOutages.add(a.subject);
          void send(await decideRaise(a));
        }
      });
    },
    onFlowAlert(event, wabaId) {
      return ordered('flows', async () => {
        const actions = flowEventActions(event, wabaId);
        for (const r of actions.resolve) void send(await decideResolve(r));
        for (const a of actions.raise) void send(await decideRaise(a));
      });
    },
    async drain() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
