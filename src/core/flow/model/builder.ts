/**
 * The typed Flow JSON builder: write a flow in code, get Meta's plain JSON.
 * @module
 */
import { isObject } from '../json.js';
import type { FlowJsonVersion } from '../version.js';
import { canonicalizeFlow } from './emit-flow-json.js';
import type { DataApiVersion, FlowJson, RoutingModel } from './flow.js';
import { ScreenBuilder } from './builder-screen.js';
import type { Screen } from './screen.js';

/** Builds the screen passed to {@link FlowBuilder.screen}; the return value is ignored. */
export type ScreenFn = (s: ScreenBuilder) => unknown;

/**
 * Builds a whole flow. For endpoint flows (`endpoint()`), `build()` writes a
 * routing model containing every `navigate` edge plus the routes declared
 * with `routes()`, since Meta requires one whenever `data_api_version` is set.
 */
export class FlowBuilder {
  private readonly screens: Screen[] = [];
  private readonly extraRoutes = new Map<string, string[]>();
  private dataApiVersion: DataApiVersion | undefined;
  private channelUri: string | undefined;

  constructor(private readonly version: FlowJsonVersion) {}

  /**
   * Add a screen; screens appear in the order added.
   * @example
   * flow('7.3').screen('A', (s) => s.heading('Hi').footer('Next', navigate('B')))
   */
  screen(id: string, build: ScreenFn): this {
    const s = new ScreenBuilder(id);
    build(s);
    this.screens.push(s.buildScreen());
    return this;
  }

  /** Make the flow endpoint-powered (`data_api_version`, default "4.0", plus a routing model). */
  endpoint(dataApiVersion: DataApiVersion = '4.0'): this {
    this.dataApiVersion = dataApiVersion;
    return this;
  }

  /** Declare forward routes not visible as `navigate` actions (e.g. reached via data_exchange). */
  routes(from: string, to: string[]): this {
    this.extraRoutes.set(from, [...(this.extraRoutes.get(from) ?? []), ...to]);
    return this;
  }

  /** Only for version 2.1 (the endpoint URL moved to the Flow object in 3.0). */
  dataChannelUri(uri: string): this {
    this.channelUri = uri;
    return this;
  }

  /** The flow as plain Flow JSON, keys in canonical order. */
  build(): FlowJson {
    const doc: FlowJson = { version: this.version, screens: structuredClone(this.screens) };
    if (this.dataApiVersion !== undefined) {
      doc.data_api_version = this.dataApiVersion;
      doc.routing_model = this.routingModel();
    } else if (this.extraRoutes.size > 0) {
      doc.routing_model = this.routingModel();
    }
    if (this.channelUri !== undefined) doc.data_channel_uri = this.channelUri;
    return canonicalizeFlow(doc) as FlowJson;
  }

  private routingModel(): RoutingModel {
    const model: RoutingModel = {};
    for (const screen of this.screens) {
      const targets = new Set([...navigateTargets(screen.layout), ...(this.extraRoutes.get(screen.id) ?? [])]);
      targets.delete(screen.id);
      model[screen.id] = [...targets];
    }
    return model;
  }
}

/**
 * Start a flow of the given Flow JSON version.
 * @example
 * const json = flow('7.3')
 *   .screen('WELCOME', (s) => s.title('Hi').heading('Hello')
 *     .textInput('name', { label: 'Name', required: true })
 *     .footer('Next', navigate('DETAILS', { name: form('name') })))
 *   .screen('DETAILS', (s) => s.title('Done').terminal().data({ name: 'Ann' })
 *     .body(data('name')).footer('Finish', complete({ name: data('name') })))
 *   .build();
 */
export function flow(version: FlowJsonVersion): FlowBuilder {
  return new FlowBuilder(version);
}

/** Every `navigate` target inside a value, in document order. */
export function navigateTargets(value: unknown): string[] {
  const out: string[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) {
      v.forEach(visit);
    } else if (isObject(v)) {
      if (v.name === 'navigate' && isObject(v.next) && typeof v.next.name === 'string') out.push(v.next.name);
      Object.values(v).forEach(visit);
    }
  };
  visit(value);
  return out;
}
