/**
 * What `flowbridge publish` and `flowbridge send` share: the configuration
 * (Graph API credentials, database), an opened and migrated database, and
 * a Graph API client. Problems are {@link CliUsageError}s whose messages say
 * which setting to fix; they never contain a secret.
 * @module
 */
import { existsSync } from 'node:fs';
import type { Config } from '../../config/config-schema.js';
import { isAppError } from '../../core/errors.js';
import { createConversationService } from '../../services/conversations.js';
import type { FlowCatalogue } from '../../services/flow-catalogue.js';
import { createFlowSender } from '../../services/flow-sender-impl.js';
import type { FlowSender } from '../../services/flow-sender.js';
import { loadProject } from '../../services/project/load-project.js';
import { createSessionService } from '../../services/sessions.js';
import { createDatabase, type StoreDatabase } from '../../store/create-database.js';
import { migrateToLatest } from '../../store/migrate.js';
import { createConversationRepo } from '../../store/repos/conversation-repo.js';
import { createPublishedFlowRepo } from '../../store/repos/published-flow-repo.js';
import { createSendRepo } from '../../store/repos/send-repo.js';
import { createSessionRepo } from '../../store/repos/session-repo.js';
import { createGraphClient, type GraphClient } from '../../whatsapp/graph/index.js';
import { EXIT_USAGE } from '../exit-codes.js';

/** A usage, configuration or I/O problem: exit 2 with this message. */
export class CliUsageError extends Error {}

export { readCliConfig } from '../cli-context.js';

/** A Graph client from the configuration; fails with the fix when the token (or a needed id) is missing. */
export function graphFromConfig(config: Config, ids: { wabaId?: string; needPhone?: boolean }): GraphClient {
  if (config.accessToken === undefined) throw new CliUsageError('no Graph API access token. Fix: set FLOWBRIDGE_ACCESS_TOKEN (or FLOWBRIDGE_ACCESS_TOKEN_FILE) to a system user token; point FLOWBRIDGE_GRAPH_API_BASE_URL at the emulator to work offline.');
  if (ids.needPhone === true && config.phoneNumberId === undefined) throw new CliUsageError('no phone number to send from. Fix: set FLOWBRIDGE_PHONE_NUMBER_ID to the phone number id from WhatsApp Manager.');
  return createGraphClient({
    baseUrl: config.graphApiBaseUrl, version: config.graphApiVersion, accessToken: config.accessToken,
    ...(ids.wabaId !== undefined && { wabaId: ids.wabaId }),
    ...(config.phoneNumberId !== undefined && { phoneNumberId: config.phoneNumberId }),
  });
}

/** The project's flows (FLOWBRIDGE_PROJECT_FILE, else ./flowbridge.yaml); a usage error when there is no project file. */
export async function loadCliCatalogue(config: Config): Promise<FlowCatalogue> {
  const projectFile = config.projectFile ?? 'flowbridge.yaml';
  if (config.projectFile === undefined && !existsSync(projectFile)) throw new CliUsageError('no project file: create flowbridge.yaml listing your flows, or set FLOWBRIDGE_PROJECT_FILE.');
  return (await loadProject(projectFile)).catalogue;
}

/** The flow sender over an open store, as `serve` builds it (without the delivery outbox: a CLI send never completes a session). */
export function cliFlowSender(store: StoreDatabase, catalogue: FlowCatalogue, graph: GraphClient): FlowSender {
  return createFlowSender({
    catalogue, graph,
    sessions: createSessionService(createSessionRepo(store.db)),
    conversations: createConversationService(createConversationRepo(store.db)),
    sends: createSendRepo(store.db),
    publishedFlows: createPublishedFlowRepo(store.db),
  });
}

/** Open and migrate the configured database, run `body`, always close it. */
export async function withDatabase<T>(config: Config, body: (store: StoreDatabase) => Promise<T>): Promise<T> {
  const store = createDatabase(config.databaseUrl.reveal());
  try {
    await migrateToLatest(store);
    return await body(store);
  } finally {
    await store.close();
  }
}

/** Run a command body; usage, configuration and Graph failures become exit 2 with their message. */
export async function cliGuard(command: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    // AppError (config, GraphError) and CliUsageError messages are written for users and hold no secrets.
    const text = error instanceof CliUsageError || isAppError(error) ? error.message : `unexpected failure: ${error instanceof Error ? error.message : String(error)}`;
    process.stderr.write(`flowbridge ${command}: ${text}\n`);
    return EXIT_USAGE;
  }
}
