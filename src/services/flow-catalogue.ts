/**
 * The flows this server serves, and where each flow's answers go: the
 * contract between the project file (`flowbridge.yaml`, loaded by
 * `project-loader.ts`) and every use case that needs to know a flow — the
 * endpoint's handlers, the delivery outbox, sends, broadcasts, links, ads.
 *
 * The spine in one object: source form → {@link CatalogueFlow.form} →
 * {@link CatalogueFlow.flowJson} (+ field map) → sessions keyed by flow
 * token → submissions → {@link CatalogueFlow.sinks}.
 * @module
 */
import type { FieldMap } from '../core/compile/field-map.js';
import type { FlowJson } from '../core/flow/model/flow.js';
import type { FormModel } from '../core/form/index.js';
import type { SinkConnector } from '../sinks/sink-connector.js';
import type { FlowCategory } from '../whatsapp/graph/flows-api.js';

/** One configured destination of a flow's answers. */
export interface ConfiguredSink {
  /** Unique within the flow, stable: part of every delivery job's idempotency key (e.g. `hubspot`). */
  readonly name: string;
  /** The sink implementation (`connector.id` is the sink type, e.g. `hubspot-forms`). */
  readonly connector: SinkConnector<unknown>;
  /** Settings already validated by `connector.settingsSchema` (secrets resolved from the environment). */
  readonly settings: unknown;
}

/** How people reach a flow besides broadcasts and agent sends. */
export interface FlowEntryPoints {
  /** Inbound text equal to this keyword (case-insensitive, trimmed) answers with the flow; used by wa.me links. */
  readonly keyword?: string;
  /** Click-to-WhatsApp ad ids (`referral.source_id`) that answer with the flow. */
  readonly adIds: readonly string[];
}

/** Texts of the interactive message / template that carries the flow. */
export interface FlowMessageTexts {
  readonly body: string;
  /** The button that opens the flow (≤ 30 characters per Meta). */
  readonly cta: string;
  readonly header?: string;
  readonly footer?: string;
  /** Approved template with a FLOW button, used outside the 24-hour window. */
  readonly templateName?: string;
  readonly templateLanguage?: string;
}

/** One flow of the catalogue. */
export interface CatalogueFlow {
  /** Local id: `flow_sessions.flow_id`, CLI and API argument. */
  readonly id: string;
  /** Name used when publishing to Meta. */
  readonly name: string;
  /** Meta flow categories (e.g. `LEAD_GENERATION`, `SIGN_UP`, `APPOINTMENT_BOOKING`). */
  readonly categories: readonly FlowCategory[];
  /** The form, when the flow was compiled from one (absent for a hand-written Flow JSON). */
  readonly form?: FormModel;
  readonly fieldMap?: FieldMap;
  readonly flowJson: FlowJson;
  /** Content hash of the Flow JSON text (publish is a no-op when unchanged; field-map version of submissions). */
  readonly version: string;
  /** Screen opened by `navigate` sends (no endpoint) — the first screen of the routing model. */
  readonly firstScreen: string;
  /** True when the flow uses the data-exchange endpoint (sends use `flow_action: data_exchange`). */
  readonly usesEndpoint: boolean;
  /** Meta's flow id once published (from the project file or the store of published flows). */
  readonly metaFlowId?: string;
  readonly entry: FlowEntryPoints;
  readonly message: FlowMessageTexts;
  readonly sinks: readonly ConfiguredSink[];
}

/** Read access to the flows; built once at start-up. */
export interface FlowCatalogue {
  list(): readonly CatalogueFlow[];
  get(flowId: string): CatalogueFlow | undefined;
  /** The flow whose keyword equals this inbound text, if any. */
  byKeyword(text: string): CatalogueFlow | undefined;
  /** The flow configured for this click-to-WhatsApp ad id, if any. */
  byAdId(adId: string): CatalogueFlow | undefined;
}

/** A catalogue over a fixed list (the project loader and tests use it). Throws on duplicate ids, keywords or ad ids. */
export function createFlowCatalogue(flows: readonly CatalogueFlow[]): FlowCatalogue {
  const byId = new Map<string, CatalogueFlow>();
  const keywords = new Map<string, CatalogueFlow>();
  const ads = new Map<string, CatalogueFlow>();
  for (const flow of flows) {
    if (byId.has(flow.id)) throw new Error(`Two flows have the id "${flow.id}": ids must be unique.`);
    byId.set(flow.id, flow);
    const keyword = flow.entry.keyword === undefined ? undefined : normaliseKeyword(flow.entry.keyword);
    if (keyword !== undefined) {
      const other = keywords.get(keyword);
      if (other !== undefined) throw new Error(`Flows "${other.id}" and "${flow.id}" share the keyword "${keyword}": keywords must be unique.`);
      keywords.set(keyword, flow);
    }
    for (const ad of flow.entry.adIds) {
      const other = ads.get(ad);
      if (other !== undefined) throw new Error(`Flows "${other.id}" and "${flow.id}" both claim ad ${ad}.`);
      ads.set(ad, flow);
    }
  }
  return {
    list: () => [...byId.values()],
    get: (flowId) => byId.get(flowId),
    byKeyword: (text) => keywords.get(normaliseKeyword(text)),
    byAdId: (adId) => ads.get(adId),
  };
}

/** Keywords compare trimmed, case-insensitively, with inner whitespace collapsed. */
export function normaliseKeyword(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLocaleLowerCase('en');
}
