/**
 * The objects `flowbridge broadcast` works with, from the configuration
 * (as `send` and `publish` build theirs, see `messaging-context.ts`): the
 * project's flows, the migrated database, and — when Graph API credentials
 * are set — the real sender, a runner to send in the foreground, and the
 * template check at Meta (needs FLOWBRIDGE_WABA_ID). Without credentials the
 * commands still create, pause, cancel and report; `start` then only marks
 * the broadcast running for the server to send.
 * @module
 */
import { createBroadcastRunner } from '../../services/broadcast/broadcast-runner.js';
import { createBroadcastService, templateStatusFrom } from '../../services/broadcast/broadcast-service.js';
import { createDatabase } from '../../store/create-database.js';
import { migrateToLatest } from '../../store/migrate.js';
import { createRecipientRepo } from '../../store/repos/broadcast-recipient-repo.js';
import { createBroadcastRepo } from '../../store/repos/broadcast-repo.js';
import type { BroadcastCliContext } from './broadcast.js';
import { cliFlowSender, graphFromConfig, loadCliCatalogue, readCliConfig } from './messaging-context.js';

/** Open the context from the environment's configuration. */
export async function openBroadcastContext(): Promise<BroadcastCliContext> {
  const config = readCliConfig();
  const catalogue = await loadCliCatalogue(config);
  const graph = config.accessToken !== undefined && config.phoneNumberId !== undefined
    ? graphFromConfig(config, { needPhone: true, ...(config.wabaId !== undefined && { wabaId: config.wabaId }) })
    : undefined;
  const store = createDatabase(config.databaseUrl.reveal());
  try {
    await migrateToLatest(store);
  } catch (error) {
    await store.close();
    throw error;
  }
  const broadcasts = createBroadcastRepo(store.db);
  const recipients = createRecipientRepo(store.db);
  const service = createBroadcastService({
    db: store.db, broadcasts, recipients, catalogue, defaultRate: config.broadcastRate,
    ...(graph !== undefined && config.wabaId !== undefined && { templateStatus: templateStatusFrom(graph) }),
  });
  const sender = graph === undefined ? undefined : cliFlowSender(store, catalogue, graph);
  return {
    service,
    ...(sender !== undefined && { runner: createBroadcastRunner({ broadcasts, recipients, sender }) }),
    close: () => store.close(),
  };
}
