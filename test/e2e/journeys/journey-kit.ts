/**
 * Harness of the journey end-to-end tests: one example project
 * (`examples/journeys/<n>-<name>/flowbridge.yaml`) served by the real
 * `startServer` against the Graph emulator and scripted virtual phones, all
 * on loopback. What a user does before a campaign is done here as they
 * would: the flows are published at "Meta" (the emulator) with the Graph
 * client, their Meta flow ids set in the project (`metaFlowId`), the FLOW-
 * button templates created (approved at once by the emulator), and the
 * server's public key registered. The server then runs with those Meta
 * credentials (not in sandbox mode), so the phone scripts are the test's.
 *
 * Functions may be added here; existing ones must not change (several
 * journey tests share this file).
 * @module
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pino, type Logger } from 'pino';
import { parse as parseYaml } from 'yaml';
import { loadConfig } from '../../../src/config/load-config.js';
import { startSandbox, type Sandbox } from '../../../src/emulator/sandbox.js';
import type { PhoneScripts } from '../../../src/emulator/phones/phone-script.js';
import { startServer, type RunningServer } from '../../../src/main.js';
import { loadEndpointKeys } from '../../../src/services/endpoint-keys.js';
import type { HandlerRegistry } from '../../../src/services/flow-handlers.js';
import { loadProjectValue } from '../../../src/services/project/load-project.js';
import { createGraphClient, type GraphClient } from '../../../src/whatsapp/graph/index.js';

/** A FLOW-button template to create for a flow of the project. */
export interface JourneyTemplate {
  readonly flowId: string;
  readonly name: string;
  readonly language: string;
  readonly category: 'MARKETING' | 'UTILITY';
  readonly body: string;
  readonly buttonText: string;
}

/** Options of {@link startJourney}. */
export interface JourneyOptions {
  /** The example project file (its relative paths resolve against its folder). */
  readonly projectFile: string;
  /** `${VAR}` values of the project file (sink URLs, tokens). */
  readonly env?: Readonly<Record<string, string>>;
  /** Extra server configuration (FLOWBRIDGE_* variables), e.g. alert channels. */
  readonly config?: Readonly<Record<string, string>>;
  readonly templates?: readonly JourneyTemplate[];
  readonly scripts?: PhoneScripts;
  readonly handlers?: HandlerRegistry;
}

/** A started journey. */
export interface Journey {
  readonly server: RunningServer;
  readonly sandbox: Sandbox;
  readonly graph: GraphClient;
  readonly dataDir: string;
  /** `sqlite:` URL of the server's database (for a second handle: broadcasts, checks). */
  readonly databaseUrl: string;
  /** Meta flow id per project flow id. */
  readonly metaFlowIds: ReadonlyMap<string, string>;
  /** Every log line the server wrote (for "no secret in the logs" checks). */
  readonly logLines: string[];
  /** `fetch` to `/api<path>` with the API key; answers status and parsed JSON. */
  api(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }>;
  /** Wait until phones, webhook intake and the delivery outbox are quiet. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** The API key of every journey server. */
export const JOURNEY_API_KEY = 'journey-api-key-5c1e0b7d9a';

/** A free TCP port on 127.0.0.1 (the endpoint URI must be known before the server starts, as with a real deployment). */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}

/** A logger keeping every line in `lines`. */
export function captureLogger(lines: string[]): Logger {
  return pino({ level: 'info' }, { write: (line: string) => { lines.push(line); } });
}

/** Resolve when `check` holds, polling every 25 ms; fails after `timeoutMs` with `what`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Publish the project's flows and templates at the emulator, then start the real server on them. */
export async function startJourney(options: JourneyOptions): Promise<Journey> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fb-journey-'));
  const logLines: string[] = [];
  const logger = captureLogger(logLines);
  const appSecret = randomBytes(16).toString('hex');
  const port = await freePort();
  const endpointUri = `http://127.0.0.1:${port}/flows/endpoint`;
  const keys = await loadEndpointKeys({ dataDir, passphrase: undefined, logger });
  const sandbox = await startSandbox({
    appSecret, businessPublicKeyPem: keys.publicKeyPem, retry: { initialDelayMs: 50, maxAttempts: 5 },
    ...(options.scripts && { scripts: options.scripts }),
  });
  let server: RunningServer | undefined;
  try {
    const graph = createGraphClient({ baseUrl: sandbox.url, version: 'v23.0', accessToken: sandbox.accessToken, wabaId: sandbox.wabaId, phoneNumberId: sandbox.phoneNumberId });
    const projectPath = resolve(options.projectFile);
    const project = parseYaml(readFileSync(projectPath, 'utf8')) as { flows: Array<Record<string, unknown>> };
    const env = { ...options.env };
    const compiled = await loadProjectValue(project, dirname(projectPath), { env });
    const metaFlowIds = new Map<string, string>();
    for (const flow of compiled.catalogue.list()) {
      const { id } = await graph.createFlow({ name: flow.name, categories: [...flow.categories], ...(flow.usesEndpoint && { endpointUri }) });
      const upload = await graph.uploadFlowJson(id, JSON.stringify(flow.flowJson));
      if (upload.validationErrors.length > 0) throw new Error(`flow ${flow.id} refused by the emulator: ${JSON.stringify(upload.validationErrors)}`);
      await graph.publishFlow(id);
      metaFlowIds.set(flow.id, id);
    }
    for (const t of options.templates ?? []) {
      const flow = compiled.catalogue.get(t.flowId);
      const metaId = metaFlowIds.get(t.flowId);
      if (flow === undefined || metaId === undefined) throw new Error(`template ${t.name}: no flow ${t.flowId} in the project`);
      await graph.createTemplate({
        name: t.name, language: t.language, category: t.category, body: t.body,
        flowButton: flow.usesEndpoint ? { text: t.buttonText, flow: { id: metaId }, action: 'data_exchange' } : { text: t.buttonText, flow: { id: metaId }, navigateScreen: flow.firstScreen },
      });
    }
    const published = { ...project, flows: project.flows.map((f) => ({ ...f, metaFlowId: metaFlowIds.get(String(f.id)) })) };
    const { catalogue } = await loadProjectValue(published, dirname(projectPath), { env });
    const config = loadConfig({
      env: {
        FLOWBRIDGE_DATA_DIR: dataDir, FLOWBRIDGE_HOST: '127.0.0.1', FLOWBRIDGE_PORT: String(port), FLOWBRIDGE_API_KEY: JOURNEY_API_KEY,
        FLOWBRIDGE_ACCESS_TOKEN: sandbox.accessToken, FLOWBRIDGE_GRAPH_API_BASE_URL: sandbox.url, FLOWBRIDGE_PHONE_NUMBER_ID: sandbox.phoneNumberId,
        FLOWBRIDGE_WABA_ID: sandbox.wabaId, FLOWBRIDGE_APP_SECRET: appSecret, FLOWBRIDGE_LOG_LEVEL: 'info',
        ...options.config,
      },
      readFile: (p) => readFileSync(p, 'utf8'),
    });
    server = await startServer(config, { catalogue, logger, handleSignals: false, ...(options.handlers && { handlers: options.handlers }) });
    sandbox.phones.setWebhookUrl(`${server.url}/webhooks/whatsapp`);
    const running = server;
    return {
      server: running, sandbox, graph, dataDir, databaseUrl: `sqlite:${dataDir}/flowbridge.db`, metaFlowIds, logLines,
      async api(method, path, body) {
        const res = await fetch(`${running.url}/api${path}`, {
          method,
          headers: { authorization: `Bearer ${JOURNEY_API_KEY}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        const text = await res.text();
        return { status: res.status, json: text === '' ? {} : JSON.parse(text) as Record<string, unknown> };
      },
      async settle() {
        await sandbox.phones.idle();
        await running.intake.drain();
      },
      async close() {
        await sandbox.close();
        await running.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await sandbox.close();
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}
