/**
 * Test kit for sends: a migrated database (SQLite or PostgreSQL), the Graph
 * emulator on loopback with a clock shared with the services, a catalogue
 * flow published at the emulator, and the real sender over all of it.
 * @module
 */
import type { FlowJson } from '../../src/core/flow/model/flow.js';
import { createConversationService, type ConversationService } from '../../src/services/conversations.js';
import { createFlowCatalogue, type CatalogueFlow } from '../../src/services/flow-catalogue.js';
import type { FlowSender } from '../../src/services/flow-sender.js';
import { createFlowSender, type FlowSenderDeps } from '../../src/services/flow-sender-impl.js';
import { createSessionService } from '../../src/services/sessions.js';
import type { StoreDialect } from '../../src/store/create-database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { openTestDatabase, type TestDatabase } from '../../src/store/open-test-database.js';
import { createConversationRepo } from '../../src/store/repos/conversation-repo.js';
import { createMessageStatusRepo, type MessageStatusRepo } from '../../src/store/repos/message-status-repo.js';
import { createPublishedFlowRepo, type PublishedFlowRepo } from '../../src/store/repos/published-flow-repo.js';
import { createSendRepo, type SendRepo } from '../../src/store/repos/send-repo.js';
import { createSessionRepo, type SessionRepo } from '../../src/store/repos/session-repo.js';
import { createGraphClient, type GraphClient, type GraphClientOptions } from '../../src/whatsapp/graph/index.js';
import { PHONE, publishedFlow, simpleFlowJson, startHarness, TOKEN, WABA, type Harness } from '../graph/harness.js';
import type { GraphEmulatorOptions } from '../../src/emulator/graph-emulator.js';
import { startLoopbackServer, type LoopbackServer } from '../fakes/shared/loopback-server.js';

/** Everything a send test touches. */
export interface SendKit {
  readonly db: TestDatabase;
  readonly h: Harness;
  readonly sessionRepo: SessionRepo;
  readonly sends: SendRepo;
  readonly statuses: MessageStatusRepo;
  readonly published: PublishedFlowRepo;
  readonly conversations: ConversationService;
  /** Meta id of the flow published at the emulator. */
  readonly metaFlowId: string;
  /** Current time of the emulator and the services. */
  now(): Date;
  advance(ms: number): void;
  /** A catalogue flow (`signup`, navigate, with template `signup_tpl`) overridden by `patch`. */
  flow(patch?: Partial<CatalogueFlow>): CatalogueFlow;
  /** A sender over `flows` (default: the one `flow()` gives) and `graph` (default: the harness's client). */
  sender(flows?: CatalogueFlow[], overrides?: Partial<FlowSenderDeps>): FlowSender;
  /** A Graph client on another base URL (a proxy in front of the emulator). */
  graphAt(url: string, options?: Partial<GraphClientOptions>): GraphClient;
  /** Open the contact's window on both sides (our conversation state and the emulator). */
  openWindow(waId: string): Promise<void>;
  close(): Promise<void>;
}

/** Start a kit; the flow is published and its template approved unless `template: false`. */
export async function startSendKit(dialect: StoreDialect = 'sqlite', emulator: Partial<GraphEmulatorOptions> = {}, opts: { template?: boolean } = {}): Promise<SendKit> {
  let clock = Date.parse('2026-01-01T00:00:00Z');
  const now = (): Date => new Date(clock);
  const h = await startHarness({ now: () => clock, ...emulator });
  const db = await openTestDatabase(dialect);
  await migrateToLatest(db.store);
  const sessionRepo = createSessionRepo(db.store.db, { now });
  const sends = createSendRepo(db.store.db, { now });
  const conversations = createConversationService(createConversationRepo(db.store.db, { now }), { now });
  const published = createPublishedFlowRepo(db.store.db, { now });
  const metaFlowId = await publishedFlow(h, 'signup');
  if (opts.template !== false) {
    await h.graph.createTemplate({ name: 'signup_tpl', language: 'en_US', category: 'UTILITY', body: 'Sign up for the event', flowButton: { text: 'Sign up', flow: { id: metaFlowId } } });
  }
  const flow = (patch: Partial<CatalogueFlow> = {}): CatalogueFlow => ({
    id: 'signup', name: 'signup', categories: ['SIGN_UP'], flowJson: JSON.parse(simpleFlowJson()) as FlowJson, version: 'v1',
    firstScreen: 'WELCOME', usesEndpoint: false, metaFlowId, entry: { adIds: [] },
    message: { body: 'Sign up for the event', cta: 'Sign up', templateName: 'signup_tpl', templateLanguage: 'en_US' }, sinks: [],
    ...patch,
  });
  const sessions = createSessionService(sessionRepo, { now: () => clock });
  return {
    db, h, sessionRepo, sends, published, conversations, metaFlowId,
    statuses: createMessageStatusRepo(db.store.db, { now }),
    now,
    advance: (ms) => { clock += ms; },
    flow,
    sender: (flows = [flow()], overrides = {}) => createFlowSender({ catalogue: createFlowCatalogue(flows), sessions, conversations, sends, publishedFlows: published, graph: h.graph, now, ...overrides }),
    graphAt: (url, options = {}) => createGraphClient({ baseUrl: url, version: 'v23.0', accessToken: TOKEN, wabaId: WABA, phoneNumberId: PHONE, ...options }),
    async openWindow(waId) {
      h.emulator.receiveInbound(waId, clock);
      await conversations.recordInbound({ waId, messageId: `wamid.in.${waId}`, timestamp: new Date(clock) });
    },
    async close() {
      await h.close();
      await db.cleanup();
    },
  };
}

/** A loopback proxy in front of the emulator: records every Graph call and lets a test make Meta fail. */
export function startEmulatorProxy(target: string): Promise<LoopbackServer> {
  return startLoopbackServer({
    handle: async (req) => {
      const res = await fetch(`${target}${req.path}?${req.query.toString()}`, {
        method: req.method,
        headers: { authorization: String(req.headers.authorization), 'content-type': String(req.headers['content-type'] ?? 'application/json') },
        ...(req.method === 'GET' ? {} : { body: req.raw }),
      });
      return { status: res.status, body: await res.text() };
    },
  });
}
