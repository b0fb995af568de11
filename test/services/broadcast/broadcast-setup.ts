/**
 * One broadcast stack for a test: isolated database (either dialect) with
 * migrations, repositories and service on the virtual clock, a catalogue
 * with the emulator's flow, and runners built on demand.
 * @module
 */
import type { StoreDatabase, StoreDialect } from '../../../src/store/create-database.js';
import { migrateToLatest } from '../../../src/store/migrate.js';
import { openTestDatabase, type TestDatabase } from '../../../src/store/open-test-database.js';
import { createBroadcastRepo, type BroadcastRepo } from '../../../src/store/repos/broadcast-repo.js';
import { createRecipientRepo, type RecipientRepo } from '../../../src/store/repos/broadcast-recipient-repo.js';
import { createBroadcastRunner, type BroadcastRunner, type BroadcastRunnerDeps } from '../../../src/services/broadcast/broadcast-runner.js';
import { createBroadcastService, type BroadcastService, type TemplateStatusLookup } from '../../../src/services/broadcast/broadcast-service.js';
import { createFlowCatalogue, type CatalogueFlow } from '../../../src/services/flow-catalogue.js';
import type { FlowSender } from '../../../src/services/flow-sender.js';
import { TEMPLATE, virtualClock, type VirtualClock } from './broadcast-kit.js';

/** The stack. */
export interface BroadcastStack {
  readonly test: TestDatabase;
  readonly clock: VirtualClock;
  readonly service: BroadcastService;
  readonly broadcasts: BroadcastRepo;
  readonly recipients: RecipientRepo;
  /** Repositories over another handle on the same database (a second process). */
  reposOn(store: StoreDatabase): { broadcasts: BroadcastRepo; recipients: RecipientRepo };
  runner(sender: FlowSender, overrides?: Partial<BroadcastRunnerDeps>): BroadcastRunner;
  cleanup(): Promise<void>;
}

/** A catalogue flow named `survey` published as `metaFlowId`. */
export function surveyFlow(metaFlowId: string | undefined, templateName: string | undefined = TEMPLATE): CatalogueFlow {
  return {
    id: 'survey', name: 'survey', categories: ['SURVEY'], flowJson: { version: '7.3', screens: [] } as unknown as CatalogueFlow['flowJson'],
    version: 'v1', firstScreen: 'WELCOME', usesEndpoint: false, ...(metaFlowId !== undefined && { metaFlowId }),
    entry: { adIds: [] }, message: { body: 'Tell us', cta: 'Open', ...(templateName !== undefined && { templateName, templateLanguage: 'en_US' }) }, sinks: [],
  };
}

/** Build the stack. */
export async function broadcastStack(dialect: StoreDialect, flow: CatalogueFlow, options: { templateStatus?: TemplateStatusLookup; defaultRate?: number } = {}): Promise<BroadcastStack> {
  const test = await openTestDatabase(dialect);
  await migrateToLatest(test.store);
  const clock = virtualClock();
  const now = () => new Date(clock.now());
  const reposOn = (store: StoreDatabase) => ({ broadcasts: createBroadcastRepo(store.db, { now }), recipients: createRecipientRepo(store.db, { now }) });
  const { broadcasts, recipients } = reposOn(test.store);
  const service = createBroadcastService({
    db: test.store.db, broadcasts, recipients, catalogue: createFlowCatalogue([flow]), defaultRate: options.defaultRate ?? 80,
    ...(options.templateStatus !== undefined && { templateStatus: options.templateStatus }),
  });
  return {
    test, clock, service, broadcasts, recipients, reposOn,
    runner: (sender, overrides = {}) => createBroadcastRunner({ broadcasts, recipients, sender, clock, ...overrides }),
    cleanup: () => test.cleanup(),
  };
}
