/**
 * `flowbridge serve`: run the server (data-exchange endpoint, health checks)
 * until SIGTERM / SIGINT. Configuration comes from `FLOWBRIDGE_*` variables
 * (secrets also from `<NAME>_FILE`), an optional JSON file named by
 * `FLOWBRIDGE_CONFIG`, and the flags below; every problem is listed at once.
 * @module
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { AppError, isAppError } from '../../core/errors.js';
import { isObject } from '../../core/flow/json.js';
import type { HandlerRegistry } from '../../services/flow-handlers.js';
import { loadConfig } from '../../config/load-config.js';
import type { RunningServer } from '../../main.js';
import { EXIT_OK, EXIT_USAGE } from '../exit-codes.js';

interface ServeCliOptions {
  port?: string;
  host?: string;
  handlers?: string;
  workers?: string;
}

const help = `
Configuration: see docs/configuration.md (FLOWBRIDGE_PORT, FLOWBRIDGE_DATA_DIR,
FLOWBRIDGE_DATABASE_URL, FLOWBRIDGE_APP_SECRET, FLOWBRIDGE_KEY_PASSPHRASE, …).
On first start a key pair is generated in <data dir>/keys/; upload
keys/current.public.pem to Meta. Without FLOWBRIDGE_APP_SECRET the endpoint
runs in sandbox mode (requests are not signature-checked).

--handlers <module>: a JS (or, from a checkout, TS) module with a named export
  \`flows\`: { "<flow id>": { INIT, screens: { SCREEN: { data_exchange, BACK } }, fallback } }
  built with next(), error() and complete() from src/services/flow-handlers.ts.

Flows come from the project file (FLOWBRIDGE_PROJECT_FILE, else ./flowbridge.yaml).
Without FLOWBRIDGE_ACCESS_TOKEN, serve starts the sandbox: the built-in Meta
emulator on FLOWBRIDGE_SANDBOX_PORT with virtual phones, and (without a project
file) the demo project examples/sandbox/flowbridge.yaml.

Routes: POST /flows/endpoint, GET/POST /webhooks/whatsapp, GET /healthz, GET /readyz,
/api/* (Authorization: Bearer FLOWBRIDGE_API_KEY).
Exit codes: 0 stopped by a signal, 2 invalid configuration or start-up failure.`;

/** Register `serve` on the program. */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Run the Flowbridge server: the encrypted data-exchange endpoint and health checks.')
    .option('--port <n>', 'TCP port (overrides FLOWBRIDGE_PORT)')
    .option('--host <host>', 'interface to bind (overrides FLOWBRIDGE_HOST)')
    .option('--handlers <module>', 'module exporting `flows`: the server-side behaviour of your flows')
    .option('--workers <n>', 'server processes sharing the port (node:cluster); default 1')
    .addHelpText('after', help)
    .action(async (options: ServeCliOptions) => {
      process.exitCode = await runServe(options);
      (await import('../../server/cluster.js')).leaveCluster();
    });
}

/** Import a handlers module and register its `flows` export. */
async function loadHandlers(file: string): Promise<HandlerRegistry> {
  const { createHandlerRegistry } = await import('../../services/flow-handlers.js');
  let mod: Record<string, unknown>;
  const url = pathToFileURL(resolve(file)).href;
  try {
    try {
      mod = (await import(url)) as Record<string, unknown>;
    } catch (error) {
      // From the build (dist/) no TypeScript loader is registered: a handlers module in TypeScript gets tsx.
      if ((error as { code?: unknown }).code !== 'ERR_UNKNOWN_FILE_EXTENSION' || !/\.[cm]?ts$/i.test(file)) throw error;
      const { register } = await import('tsx/esm/api');
      register();
      // Another URL: the loader keeps the failed attempt cached under the first.
      mod = (await import(`${url}?typescript`)) as Record<string, unknown>;
    }
  } catch (error) {
    throw new AppError('USAGE_INVALID', `cannot load the handlers module ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const flows = mod.flows;
  if (!isObject(flows)) throw new AppError('USAGE_INVALID', `the handlers module ${file} must export \`flows\`: an object of flow id → handlers`);
  const registry = createHandlerRegistry();
  for (const [flowId, handlers] of Object.entries(flows)) {
    if (!isObject(handlers)) throw new AppError('USAGE_INVALID', `handlers of flow ${flowId} in ${file} must be an object`);
    registry.register(flowId, handlers);
  }
  return registry;
}

async function runServe(options: ServeCliOptions): Promise<number> {
  const workers = options.workers === undefined ? 1 : Number(options.workers);
  if (!Number.isInteger(workers) || workers < 1 || workers > 256) {
    process.stderr.write('--workers must be an integer from 1 to 256\n');
    return EXIT_USAGE;
  }
  const { isClusterWorker, onPrimaryShutdown, runClusterPrimary } = await import('../../server/cluster.js');
  if (workers > 1 && !isClusterWorker()) {
    const { SHUTDOWN_GRACE_MS } = await import('../../main.js');
    return runClusterPrimary({ workers, shutdownGraceMs: SHUTDOWN_GRACE_MS + 1000, log: (line) => process.stderr.write(`${line}\n`) });
  }
  let server: RunningServer;
  try {
    const config = loadConfig({
      env: process.env,
      argvOverrides: { port: options.port, host: options.host },
      readFile: (path) => readFileSync(path, 'utf8'),
      onWarning: (message) => process.stderr.write(`warning: ${message}\n`),
    });
    // Loaded on demand: other commands should not pay for Fastify and the database drivers.
    const { startServer } = await import('../../main.js');
    const handlers = options.handlers === undefined ? undefined : await loadHandlers(options.handlers);
    // The sandbox (one emulator port) runs with a single process only; cluster workers serve the endpoint and webhooks.
    server = await startServer(config, { sandbox: !isClusterWorker(), ...(handlers === undefined ? {} : { handlers }) });
  } catch (error) {
    // AppError messages are written for users and never hold secrets; other errors show their message only.
    const text = isAppError(error) ? error.message : `cannot start the server: ${error instanceof Error ? error.message : String(error)}`;
    process.stderr.write(`${text}\n`);
    return EXIT_USAGE;
  }
  onPrimaryShutdown(() => server.close());
  await server.closed;
  return EXIT_OK;
}
