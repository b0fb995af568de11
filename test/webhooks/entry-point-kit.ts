/**
 * Test kit for entry points: a catalogue with a keyword flow and an ad flow,
 * and an in-memory FlowSender fake (the real one is H3's, tested against the
 * Graph emulator) that records every call, honours idempotency keys like the
 * contract says, and can be told to fail.
 */
import type { FlowJson } from '../../src/core/flow/model/flow.js';
import { createFlowCatalogue, type CatalogueFlow, type FlowCatalogue } from '../../src/services/flow-catalogue.js';
import type { FlowSender, SendFlowInput, SendFlowResult } from '../../src/services/flow-sender.js';

export const AD_ID = '120200000';
export const KEYWORD = 'Join News';
/** Unix seconds of the messages built by `payloads.ts`. */
export const MESSAGE_TIME = new Date(1702502473 * 1000);
/** A minute after the messages were written. */
export const NOW = new Date(MESSAGE_TIME.getTime() + 60_000);

function flow(id: string, entry: CatalogueFlow['entry']): CatalogueFlow {
  const flowJson = { version: '7.3', screens: [{ id: 'START', layout: { type: 'SingleColumnLayout', children: [] } }] } as unknown as FlowJson;
  return {
    id, name: id, categories: ['LEAD_GENERATION'], flowJson, version: 'v1', firstScreen: 'START', usesEndpoint: false,
    entry, message: { body: 'Open the form', cta: 'Open' }, sinks: [],
  };
}

/** `newsletter` (keyword "Join News"), `booking` (ad 120200000), `quiet` (nothing). */
export function entryCatalogue(): FlowCatalogue {
  return createFlowCatalogue([
    flow('newsletter', { keyword: KEYWORD, adIds: [] }),
    flow('booking', { adIds: [AD_ID] }),
    flow('quiet', { adIds: [] }),
  ]);
}

/** What the fake answers to one call. */
export type FakeBehaviour = (input: SendFlowInput, call: number) => SendFlowResult | 'throw' | undefined;

/** A recording FlowSender. */
export interface FakeSender extends FlowSender {
  readonly calls: SendFlowInput[];
  /** Messages that would have reached WhatsApp (first send per idempotency key). */
  readonly delivered: SendFlowInput[];
  behaviour: FakeBehaviour | undefined;
}

/** Build a fake sender; sends succeed unless `behaviour` returns a result or 'throw'. */
export function fakeSender(behaviour?: FakeBehaviour): FakeSender {
  const byKey = new Map<string, SendFlowResult>();
  const fake: FakeSender = {
    calls: [],
    delivered: [],
    behaviour,
    async send(input) {
      fake.calls.push(input);
      // Yield so concurrent callers really interleave.
      await new Promise((resolve) => setImmediate(resolve));
      const forced = fake.behaviour?.(input, fake.calls.length);
      if (forced === 'throw') throw new Error('connection reset');
      if (forced !== undefined) return forced;
      const earlier = input.idempotencyKey === undefined ? undefined : byKey.get(input.idempotencyKey);
      if (earlier !== undefined && earlier.ok) return { ...earlier, repeated: true };
      const n = fake.delivered.push(input);
      const result: SendFlowResult = { ok: true, sendId: `send-${n}`, flowToken: `token-${n}-${input.flowId}`, wamid: `wamid.OUT${n}`, waId: input.to, kind: 'interactive', repeated: false };
      if (input.idempotencyKey !== undefined) byKey.set(input.idempotencyKey, result);
      return result;
    },
  };
  return fake;
}
