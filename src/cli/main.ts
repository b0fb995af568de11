/**
 * The `flowbridge` command line. Each command lives in `commands/<name>.ts`
 * and exports a `register<Name>Command(program)` function listed here.
 *
 * Exit codes, for every command: 0 success, 1 the input is understood but
 * fails (invalid flow, flow cannot complete…), 2 usage or I/O problem.
 * @module
 */
import { Command, CommanderError } from 'commander';
import { EXIT_USAGE } from './exit-codes.js';
import { registerValidateCommand } from './commands/validate.js';
import { registerRunCommand } from './commands/run.js';
import { registerServeCommand } from './commands/serve.js';
import { registerImportCommand } from './commands/import.js';
import { registerKeysCommand } from './commands/keys.js';
import { registerStatsCommand } from './commands/stats.js';
import { registerPublishCommand } from './commands/publish.js';
import { registerSendCommand } from './commands/send.js';
import { registerLinkCommand } from './commands/link.js';
import { registerEmulatorCommand } from './commands/emulator.js';
import { registerDeliveriesCommand } from './commands/deliveries.js';
import { registerBroadcastCommand } from './commands/broadcast.js';

const commands: Array<(program: Command) => void> = [
  registerValidateCommand,
  registerRunCommand,
  registerServeCommand,
  registerImportCommand,
  registerKeysCommand,
  registerStatsCommand,
  registerPublishCommand,
  registerSendCommand,
  (program) => registerLinkCommand(program),
  registerEmulatorCommand,
  registerDeliveriesCommand,
  (program) => registerBroadcastCommand(program),
];

/** Build the program (exported for tests, which run commands in-process). */
export function buildProgram(): Command {
  const program = new Command('flowbridge')
    .description('Put existing forms inside WhatsApp Flows: import, compile, validate, run, serve, deliver.')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  for (const register of commands) register(program);
  return program;
}

/** Parse argv and run; resolves to the process exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return Number(process.exitCode ?? 0);
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    throw error;
  }
}

if (process.argv[1] && /(?:bin[\\/]flowbridge(?:\.js)?|cli[\\/]main\.[jt]s)$/.test(process.argv[1])) {
  process.exitCode = await runCli(process.argv.slice(2));
}
