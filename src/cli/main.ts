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

type Register = (program: Command) => void;

/**
 * The commands, each loaded on demand: a command's module pulls in what it
 * runs (the server, the database drivers, prompts, QR codes…), and
 * `flowbridge serve` should not pay for `run`'s prompts or `broadcast`'s
 * phone-number metadata before it answers its first request.
 */
const commands: Readonly<Record<string, () => Promise<Register>>> = {
  validate: async () => (await import('./commands/validate.js')).registerValidateCommand,
  run: async () => (await import('./commands/run.js')).registerRunCommand,
  serve: async () => (await import('./commands/serve.js')).registerServeCommand,
  import: async () => (await import('./commands/import.js')).registerImportCommand,
  keys: async () => (await import('./commands/keys.js')).registerKeysCommand,
  stats: async () => (await import('./commands/stats.js')).registerStatsCommand,
  publish: async () => (await import('./commands/publish.js')).registerPublishCommand,
  send: async () => (await import('./commands/send.js')).registerSendCommand,
  link: async () => { const { registerLinkCommand } = await import('./commands/link.js'); return (program) => registerLinkCommand(program); },
  emulator: async () => (await import('./commands/emulator.js')).registerEmulatorCommand,
  deliveries: async () => (await import('./commands/deliveries.js')).registerDeliveriesCommand,
  broadcast: async () => { const { registerBroadcastCommand } = await import('./commands/broadcast.js'); return (program) => registerBroadcastCommand(program); },
};

/**
 * Build the program (exported for tests, which run commands in-process).
 * Given the arguments, only the command they name is loaded; without one
 * (`--help`, `--version`, a typo) every command is, so help lists them all.
 */
export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command('flowbridge')
    .description('Put existing forms inside WhatsApp Flows: import, compile, validate, run, serve, deliver.')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  const named = argv.find((arg) => !arg.startsWith('-'));
  const wanted = named !== undefined && Object.hasOwn(commands, named) ? [named] : Object.keys(commands);
  const registers = await Promise.all(wanted.map((name) => commands[name]!()));
  for (const register of registers) register(program);
  return program;
}

/** Parse argv and run; resolves to the process exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = await buildProgram(argv);
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
