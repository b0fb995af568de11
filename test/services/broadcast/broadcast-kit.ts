/**
 * Test kit for broadcasts: a Graph emulator on loopback with a published
 * flow and an approved FLOW-button template, a virtual clock shared by the
 * emulator, the store and the rate limiter (so rate tests take no wall
 * time), and a small {@link FlowSender} over the Graph client standing in
 * for `createFlowSender` (flow-sender-impl.ts): template sends, the
 * idempotency key returns the earlier send. Its record of sends is kept
 * outside any runner, like the real sender's `sends` table.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { createGraphEmulator, type GraphEmulator, type GraphEmulatorOptions } from '../../../src/emulator/graph-emulator.js';
import type { FlowSender, SendFlowInput, SendFlowResult } from '../../../src/services/flow-sender.js';
import type { Clock } from '../../../src/services/broadcast/rate-limiter.js';
import { createGraphClient, GraphError, type GraphClient } from '../../../src/whatsapp/graph/index.js';
import { publishedFlow, PHONE, TOKEN, WABA, type Harness } from '../../graph/harness.js';

/** Virtual time: `sleep` moves it forward at once. */
export interface VirtualClock extends Clock {
  advance(ms: number): void;
}

/** A virtual clock starting at `start`. */
export function virtualClock(start = Date.parse('2026-03-01T09:00:00Z')): VirtualClock {
  let t = start;
  return {
    now: () => t,
    sleep: async (ms) => {
      t += Math.max(0, ms);
      await new Promise((resolve) => setImmediate(resolve));
    },
    advance: (ms) => { t += ms; },
  };
}

/** An emulator with a published flow and an approved template. */
export interface BroadcastEmulator {
  readonly emulator: GraphEmulator;
  readonly graph: GraphClient;
  readonly flowId: string;
  readonly templateId: string;
  /** Messages accepted per wa_id. */
  countsByWaId(): Map<string, number>;
  /** Most messages accepted in any one-second window (emulator time). */
  largestBurst(windowMs?: number): number;
  close(): Promise<void>;
}

export const TEMPLATE = 'spring_survey';

/** Start it; `clock` drives the emulator's time. */
export async function startBroadcastEmulator(clock: Clock, options: Partial<GraphEmulatorOptions> = {}): Promise<BroadcastEmulator> {
  const emulator = createGraphEmulator({ accessToken: TOKEN, wabaId: WABA, phoneNumberId: PHONE, now: () => clock.now(), ...options });
  const url = await emulator.listen();
  const graph = createGraphClient({ baseUrl: url, version: 'v23.0', accessToken: TOKEN, wabaId: WABA, phoneNumberId: PHONE });
  const harness: Harness = { emulator, graph, url, advance: () => undefined, close: () => emulator.close() };
  const flowId = await publishedFlow(harness, 'survey');
  const { id: templateId } = await graph.createTemplate({ name: TEMPLATE, language: 'en_US', category: 'MARKETING', body: 'Tell us what you think', flowButton: { text: 'Open survey', flow: { id: flowId } } });
  return {
    emulator, graph, flowId, templateId,
    countsByWaId() {
      const counts = new Map<string, number>();
      for (const m of emulator.state.messages) counts.set(m.waId, (counts.get(m.waId) ?? 0) + 1);
      return counts;
    },
    largestBurst: (windowMs = 1000) => largestBurst(emulator.state.messages.map((m) => m.at), windowMs),
    close: () => emulator.close(),
  };
}

/** Most of `times` (ms) in any window (t − windowMs, t], the emulator's own definition of its throughput window. */
export function largestBurst(times: readonly number[], windowMs = 1000): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi++) {
    while (sorted[lo]! <= sorted[hi]! - windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

/** A minimal idempotent template sender over the Graph client. */
export interface TestSender extends FlowSender {
  /** Every call, in order. */
  readonly calls: SendFlowInput[];
  /** Graph error codes seen. */
  readonly graphCodes: number[];
}

/** Build it for the template `TEMPLATE`. */
export function graphTemplateSender(graph: GraphClient, template = TEMPLATE): TestSender {
  const byKey = new Map<string, Extract<SendFlowResult, { ok: true }>>();
  const calls: SendFlowInput[] = [];
  const graphCodes: number[] = [];
  return {
    calls, graphCodes,
    async send(input) {
      calls.push(input);
      const earlier = input.idempotencyKey === undefined ? undefined : byKey.get(input.idempotencyKey);
      if (earlier !== undefined) return { ...earlier, repeated: true };
      const flowToken = randomBytes(16).toString('base64url');
      try {
        const sent = await graph.sendTemplateMessage({ to: input.to, name: template, language: 'en_US', flowButton: { flowToken } });
        const result = { ok: true as const, sendId: randomBytes(8).toString('hex'), flowToken, wamid: sent.wamid, waId: sent.waId, kind: 'template' as const, repeated: false };
        if (input.idempotencyKey !== undefined) byKey.set(input.idempotencyKey, result);
        return result;
      } catch (error) {
        if (!(error instanceof GraphError)) throw error;
        if (error.graphCode !== undefined) graphCodes.push(error.graphCode);
        return { ok: false, code: 'graph_error', message: error.userMessage, graphError: error };
      }
    },
  };
}

/** `count` distinct valid Dutch mobile numbers as a CSV contact list. */
export function contactsCsv(count: number, first = 10_000_000): string {
  const rows = Array.from({ length: count }, (_, i) => `+316${first + i},Person ${i},yes`);
  return ['phone,name,opt_in', ...rows].join('\n');
}
