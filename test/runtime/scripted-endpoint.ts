/**
 * A small in-process endpoint for runtime tests: it answers like a typical
 * business endpoint, driven only by the Flow JSON itself.
 * - INIT → the entry screen with its `__example__` data;
 * - the Footer's data_exchange (or any exchange on a screen without a Footer) →
 *   the first routing_model target that no client-side navigate reaches,
 *   with its `__example__` data; when there is none → completion with the
 *   request data plus flow_token;
 * - any other exchange (on-select actions) → refresh of the same screen.
 */
import { forEachComponent, screensOf } from '../../src/core/flow/walk.js';
import type { EndpointClient, EndpointReply, EndpointRequest } from '../../src/core/runtime/index.js';

function examples(screen: any): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries<any>(screen?.data ?? {})) if (v && '__example__' in v) out[k] = structuredClone(v.__example__);
  return out;
}

export interface ScriptedEndpoint extends EndpointClient {
  readonly requests: EndpointRequest[];
}

export function scriptedEndpoint(flow: any, override?: (req: EndpointRequest) => EndpointReply | undefined): ScriptedEndpoint {
  const screens = screensOf(flow);
  const byId = new Map(screens.map((s) => [s.id, s]));
  const routes: Record<string, string[]> = flow.routing_model ?? {};
  const inbound = new Set(Object.values(routes).flat());
  const entry = screens.find((s) => !inbound.has(s.id ?? ''))?.id ?? screens[0]?.id ?? '';
  const requests: EndpointRequest[] = [];
  /** Sorted payload keys of the Footer's data_exchange; null when the screen has no Footer. */
  const footerKeys = (id: string): string[] | null | undefined => {
    let keys: string[] | null | undefined = null;
    const s = byId.get(id);
    if (s) forEachComponent(s, (c) => {
      const a = c.node['on-click-action'] as any;
      if (c.type === 'Footer') keys = a?.name === 'data_exchange' ? Object.keys(a.payload ?? {}).sort() : undefined;
    });
    return keys;
  };
  const navigateTargets = (id: string): Set<string> => {
    const out = new Set<string>();
    const s = byId.get(id);
    if (s) forEachComponent(s, (c) => {
      const a = c.node['on-click-action'] as any;
      if (a?.name === 'navigate') out.add(a.next?.name);
    });
    return out;
  };
  return {
    requests,
    send(req) {
      requests.push(structuredClone(req));
      const custom = override?.(req);
      if (custom) return Promise.resolve(custom);
      if (req.action === 'INIT') return Promise.resolve({ kind: 'screen', screen: entry, data: examples(byId.get(entry)?.node) });
      if (req.action === 'BACK') return Promise.resolve({ kind: 'screen', screen: entry, data: {} });
      if (req.data && 'error' in req.data) return Promise.resolve({ kind: 'ack' });
      const screen = req.screen ?? '';
      const footer = footerKeys(screen);
      const isForward = footer === null || JSON.stringify(Object.keys(req.data ?? {}).sort()) === JSON.stringify(footer);
      if (!isForward) return Promise.resolve({ kind: 'screen', screen, data: examples(byId.get(screen)?.node) });
      const nav = navigateTargets(screen);
      const next = (routes[screen] ?? []).find((t) => !nav.has(t));
      if (next) return Promise.resolve({ kind: 'screen', screen: next, data: examples(byId.get(next)?.node) });
      return Promise.resolve({ kind: 'complete', params: { ...req.data, flow_token: req.flow_token } });
    },
  };
}
