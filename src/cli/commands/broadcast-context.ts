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
import { existsSync } from 'node:fs';
import { createBroadcastRunner } from '../../services/broadcast/broadcast-runner.js';
import { createBroadcastService, templateStatusFrom } from '../../services/broadcast/broadcast-service.js';
import { createConversationService } from '../../services/conversations.js';
import { createFlowSender } from '../../services/flow-sender-impl.js';
import { loadProject } from '../../services/project/load-project.js';
import { createSessionService } from '../../services/sessions.js';
import { createDatabase } from '../../store/create-database.js';
import { migrateToLatest } from '../../store/migrate.js';
import { createRecipientRepo } from '../../store/repos/broadcast-recipient-repo.js';
import { createBroadcastRepo } from '../../store/repos/broadcast-repo.js';
import { createConversationRepo } from '../../store/repos/conversation-repo.js';
import { createPublishedFlowRepo } from '../../store/repos/published-flow-repo.js';
import { createSendRepo } from '../../store/repos/send-repo.js';
import { createSessionRepo } from '../../store/repos/session-repo.js';
import type { BroadcastCliContext } from './broadcast.js';
import { CliUsageError, graphFromConfig, readCliConfig } from './messaging-context.js';

/** Open the context from the environment's configuration. */
export async function openBroadcastContext(): Promise<BroadcastCliContext> {
  const config = readCliConfig();
  const projectFile = config.projectFile ?? 'flowbridge.yaml';
  if (config.projectFile === undefined && !existsSync(projectFile)) throw new CliUsageError('no project file: create flowbridge.yaml listing your flows, or set FLOWBRIDGE_PROJECT_FILE.');
  const { catalogue } = await loadProject(projectFile);
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
  const sender = graph === undefined ? undefined : createFlowSender({
    catalogue, graph,
    sessions: createSessionService(createSessionRepo(store.db)),
    conversations: createConversationService(createConversationRepo(store.db)),
    sends: createSendRepo(store.db),
    publishedFlows: createPublishedFlowRepo(store.db),
  });
  return {
    service,
    ...(sender !== undefined && { runner: createBroadcastRunner({ broadcasts, recipients, sender }) }),
    close: () => store.close(),
  };
}
