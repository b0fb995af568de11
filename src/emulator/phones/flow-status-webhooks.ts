/**
 * The `flows` webhook field of the sandbox (spec §6.5): every status change
 * of a flow in the emulator — created (DRAFT), PUBLISHED, DEPRECATED,
 * THROTTLED, BLOCKED — is posted as a FLOW_STATUS_CHANGE event, signed and
 * retried like every other webhook.
 * @module
 */
import type { GraphEmulator } from '../graph-emulator.js';
import { flowStatusBody } from './webhook-payloads.js';
import type { DeliveryReport, WebhookPoster } from './webhook-poster.js';

/** The attachment; see {@link attachFlowStatusWebhooks}. */
export interface FlowStatusWebhooks {
  /** Deliveries so far, in finishing order. */
  readonly deliveries: readonly { readonly flowId: string; readonly newStatus: string; readonly delivery: DeliveryReport }[];
  /** Resolves when every delivery started so far has finished. */
  idle(): Promise<void>;
  close(): void;
}

/** Post a FLOW_STATUS_CHANGE webhook for every status change of `emulator`'s flows. */
export function attachFlowStatusWebhooks(emulator: GraphEmulator, poster: WebhookPoster, log: (line: string) => void = () => undefined): FlowStatusWebhooks {
  const deliveries: { flowId: string; newStatus: string; delivery: DeliveryReport }[] = [];
  const running = new Set<Promise<void>>();
  const unsubscribe = emulator.onFlowStatus((event) => {
    if (!emulator.options.flowsWebhookSubscribed || event.wabaId !== emulator.options.wabaId) return;
    const account = { wabaId: event.wabaId, phoneNumberId: emulator.options.phoneNumberId, displayPhoneNumber: emulator.options.displayPhoneNumber };
    const flowName = emulator.state.flows.get(event.flowId)?.name ?? event.flowId;
    const work = poster.deliver(flowStatusBody(account, { flowId: event.flowId, flowName, oldStatus: event.oldStatus, newStatus: event.newStatus, at: event.at })).then((delivery) => {
      if (!delivery.ok && delivery.attempts > 0) log(`webhook FLOW_STATUS_CHANGE for flow ${event.flowId} not delivered after ${delivery.attempts} attempt(s): ${delivery.error ?? ''}`);
      deliveries.push({ flowId: event.flowId, newStatus: event.newStatus, delivery });
    });
    running.add(work);
    void work.finally(() => running.delete(work));
  });
  return {
    deliveries,
    async idle() {
      while (running.size > 0) await Promise.all(running);
    },
    close: unsubscribe,
  };
}
