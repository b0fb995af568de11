/**
 * Reliability harness, part 2: a project file with one lead form delivered
 * to two sinks — a Standard Webhooks consumer (takes an idempotency key: the
 * fake keeps every `webhook-id`) and HubSpot's form submission API (takes
 * none) — each behind a proxy that answers slowly; sessions issued in the
 * server's database the way `flowbridge send` would; the `response_json` of
 * a completed lead flow; and the per-submission view of both sink ledgers.
 * @module
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { FormModel } from '../../src/core/form/index.js';
import type { CatalogueFlow } from '../../src/services/flow-catalogue.js';
import { loadProject } from '../../src/services/project/load-project.js';
import { createDatabase } from '../../src/store/create-database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { createSessionRepo } from '../../src/store/repos/session-repo.js';
import { startHubspotFormsSinkFake, type HubspotFormsSinkFake } from '../fakes/hubspot-forms-sink/fake-hubspot-forms-sink.js';
import { startWebhookSinkFake } from '../fakes/webhook-sink/fake-webhook-sink.js';
import type { SignedReceiver } from '../fakes/webhook-sink/signed-receiver.js';

export const FLOW_ID = 'lead';
export const PORTAL = '4455667';
export const HUBSPOT_TOKEN = 'pat-eu1-reliability-token';
export const FORM_GUID = 'a1b2c3d4-0001-4e5f-9a10-222222222222';
export const HOOK_SECRET = `whsec_${Buffer.from('flowbridge-reliability-secret!!').toString('base64')}`;

const FORM_YAML = `id: lead
title: Lead
source: { system: hubspot, formId: ${FORM_GUID} }
pages:
  - id: p1
    title: Lead
    fields:
      - { id: mail, key: email, type: email, label: E-mail, required: true }
      - id: plan
        key: plan_choice
        type: single_choice
        label: Plan
        required: true
        options:
          - { id: o1, value: BASIC, label: Basic }
          - { id: o2, value: PRO, label: Pro }
`;

/** A proxy in front of a fake that waits `delayMs` before forwarding; counts requests in flight and orphaned ones. */
export interface SlowProxy {
  readonly url: string;
  inFlight(): number;
  /** Requests whose caller's connection closed before the answer (the caller died waiting): forwarded all the same. */
  orphaned(): number;
  close(): Promise<void>;
}

/** Start a proxy to `target` answering after `delayMs` (the request reaches the fake even if the caller died meanwhile). */
export async function startSlowProxy(target: string, delayMs: number): Promise<SlowProxy> {
  let inFlight = 0;
  let orphaned = 0;
  const server: Server = createServer((req, res) => {
    inFlight++;
    let answered = false;
    let callerGone = false;
    const gone = (): void => { if (!answered && !callerGone) { callerGone = true; orphaned++; } };
    req.socket.once('end', gone);
    req.socket.once('close', gone);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        await new Promise((r) => setTimeout(r, delayMs));
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'connection' && k !== 'content-length') headers[k] = v;
        try {
          const answer = await fetch(`${target}${req.url ?? '/'}`, { method: req.method ?? 'POST', headers, body: Buffer.concat(chunks) });
          const text = await answer.text();
          answered = true;
          req.socket.off('end', gone).off('close', gone);
          res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(text);
        } catch {
          answered = true;
          req.socket.off('end', gone).off('close', gone);
          res.writeHead(502).end();
        } finally {
          inFlight--;
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    inFlight: () => inFlight,
    orphaned: () => orphaned,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** The two sink fakes, their slow proxies and the portal's forms (mutable: tests "fix" HubSpot's form). */
export interface LeadSinks {
  readonly hook: SignedReceiver;
  readonly hubspot: HubspotFormsSinkFake;
  readonly hookProxy: SlowProxy;
  readonly hubspotProxy: SlowProxy;
  readonly portalForms: Record<string, FormModel>;
  close(): Promise<void>;
}

/** Start both fakes behind proxies answering after `delayMs`. */
export async function startLeadSinks(delayMs: number): Promise<LeadSinks> {
  const portalForms: Record<string, FormModel> = {};
  const hook = await startWebhookSinkFake({ secret: HOOK_SECRET });
  const hubspot = await startHubspotFormsSinkFake({ portalId: PORTAL, token: HUBSPOT_TOKEN, forms: portalForms });
  const hookProxy = await startSlowProxy(hook.url, delayMs);
  const hubspotProxy = await startSlowProxy(hubspot.url, delayMs);
  return {
    hook, hubspot, hookProxy, hubspotProxy, portalForms,
    close: async () => { await Promise.all([hookProxy.close(), hubspotProxy.close()]); await Promise.all([hook.close(), hubspot.close()]); },
  };
}

/** The written project: its file, the variables it reads and the compiled flow. */
export interface LeadProject {
  readonly file: string;
  readonly env: Readonly<Record<string, string>>;
  readonly flow: CatalogueFlow;
}

/** Write the form and the project file into `dir` and compile it as the server will. */
export async function writeLeadProject(dir: string, sinks: LeadSinks): Promise<LeadProject> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'lead.yaml'), FORM_YAML);
  const file = join(dir, 'flowbridge.yaml');
  writeFileSync(file, `flows:
  - id: ${FLOW_ID}
    form: ./lead.yaml
    categories: [LEAD_GENERATION]
    message: { body: Tell us about you, cta: Start }
    sinks:
      - name: hook
        type: webhook
        settings: { url: "\${REL_HOOK_URL}", secret: "\${REL_HOOK_SECRET}", timeoutMs: 5000 }
      - name: hubspot
        type: hubspot-forms
        settings: { portalId: "${PORTAL}", token: "\${REL_HUBSPOT_TOKEN}", baseUrl: "\${REL_HUBSPOT_URL}", timeoutMs: 5000 }
`);
  const env = { REL_HOOK_URL: sinks.hookProxy.url, REL_HOOK_SECRET: HOOK_SECRET, REL_HUBSPOT_TOKEN: HUBSPOT_TOKEN, REL_HUBSPOT_URL: sinks.hubspotProxy.url, FLOWBRIDGE_PROJECT_FILE: file };
  const { catalogue } = await loadProject(file, { env });
  const flow = catalogue.get(FLOW_ID);
  if (flow?.form === undefined) throw new Error('the lead flow did not compile');
  // HubSpot's portal has the same form the project imported.
  sinks.portalForms[FORM_GUID] = flow.form;
  return { file, env, flow };
}

/** The `response_json` params of a completed lead flow. */
export function leadAnswers(flow: CatalogueFlow, flowToken: string, email: string, plan: 'o1' | 'o2' = 'o1'): Record<string, unknown> {
  const fields = flow.fieldMap?.fields ?? [];
  const name = (id: string): string => fields.find((f) => f.fieldId === id)?.flowName ?? id;
  const option = fields.find((f) => f.fieldId === 'plan')?.options?.find((o) => o.optionId === plan)?.flowId ?? plan;
  return { flow_token: flowToken, [name('mail')]: email, [name('plan')]: option };
}

/** Issue `n` open sessions of the lead flow in the server's database (migrating it first, as `send` does). */
export async function issueSessions(databaseUrl: string, n: number): Promise<string[]> {
  const store = createDatabase(databaseUrl);
  try {
    await migrateToLatest(store);
    const sessions = createSessionRepo(store.db);
    const tokens: string[] = [];
    for (let i = 0; i < n; i++) tokens.push((await sessions.createSession({ flowId: FLOW_ID, contactPhone: '447700900123', entryPoint: 'qr' })).flowToken);
    return tokens;
  } finally {
    await store.close();
  }
}

/** Per e-mail (one submission each): how each sink saw it. */
export interface LedgerView {
  /** e-mail → accepted webhook entries and their distinct webhook-ids. */
  readonly hook: Map<string, { entries: number; ids: Set<string> }>;
  /** e-mail → accepted HubSpot submissions. */
  readonly hubspot: Map<string, number>;
}

/** Group both ledgers by the submission's e-mail. */
export function ledgerView(sinks: LeadSinks): LedgerView {
  const hook = new Map<string, { entries: number; ids: Set<string> }>();
  for (const e of sinks.hook.ledger) {
    const email = String(((e.payload.data as { answers?: Record<string, unknown> } | undefined)?.answers ?? {}).email);
    const seen = hook.get(email) ?? { entries: 0, ids: new Set<string>() };
    seen.entries++;
    seen.ids.add(e.eventId);
    hook.set(email, seen);
  }
  const hubspot = new Map<string, number>();
  for (const e of sinks.hubspot.ledger) {
    const email = String((e.body.fields as Array<{ name: string; value: string }>).find((f) => f.name === 'email')?.value);
    hubspot.set(email, (hubspot.get(email) ?? 0) + 1);
  }
  return { hook, hubspot };
}
