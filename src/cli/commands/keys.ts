/**
 * `flowbridge keys generate | show [--public] | rotate | register`: the
 * business encryption key pair of the flow endpoint (spec §4; Meta,
 * "Business Encryption API"). The private key is always written encrypted
 * with `FLOWBRIDGE_KEY_PASSPHRASE` unless `--insecure-no-passphrase` is given;
 * no command ever prints the private key or the passphrase.
 *
 * Exit codes: 0 done; 1 `register` uploaded the key but Meta does not report
 * it as VALID (or holds another key); 2 usage, configuration, I/O, wrong
 * passphrase or Graph API failure.
 * @module
 */
import type { Command } from 'commander';
import { isAppError } from '../../core/errors.js';
import { readCliConfig } from '../cli-context.js';
import type { Config } from '../../config/config-schema.js';
import {
  generateKeyPairFiles,
  keyPaths,
  previousKeyActive,
  readCurrentKey,
  readRotationRecord,
  rotateKeyPair,
} from '../../services/key-rotation.js';
import { createGraphClient } from '../../whatsapp/graph/index.js';
import { loadPublicKey } from '../../whatsapp/keys.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../exit-codes.js';

interface WriteOptions {
  insecureNoPassphrase?: boolean;
}

const help = `
Files live in <FLOWBRIDGE_DATA_DIR>/keys/: current.pem (private, encrypted with
FLOWBRIDGE_KEY_PASSPHRASE), current.public.pem (upload it to Meta), and after a
rotation previous.pem, which keeps decrypting for FLOWBRIDGE_KEY_GRACE_HOURS
(default 72) so that clients still holding the old public key are served.
register needs FLOWBRIDGE_ACCESS_TOKEN and FLOWBRIDGE_PHONE_NUMBER_ID.
Exit codes: 0 ok, 1 registered but signature status not VALID, 2 error.`;

function out(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

const readConfig = readCliConfig;

/** The passphrase to write a key with, or undefined when explicitly allowed to write it in clear. */
function writePassphrase(config: Config, options: WriteOptions): string | undefined {
  const passphrase = config.keyPassphrase?.reveal();
  if (passphrase !== undefined) return passphrase;
  if (options.insecureNoPassphrase === true) {
    process.stderr.write('warning: writing the private key UNENCRYPTED (--insecure-no-passphrase)\n');
    return undefined;
  }
  throw new KeysUsageError('refusing to write an unencrypted private key. Fix: set FLOWBRIDGE_KEY_PASSPHRASE (or FLOWBRIDGE_KEY_PASSPHRASE_FILE), or pass --insecure-no-passphrase.');
}

class KeysUsageError extends Error {}

/** Run one subcommand body, mapping every failure to exit 2 with a message that holds no secret. */
async function guarded(body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    // AppError (KeyLoadError, GraphError, config) messages are written for users and never hold secrets;
    // Node's own errors here are file-system ones (paths only).
    const text = isAppError(error) || error instanceof KeysUsageError || error instanceof Error ? error.message : String(error);
    process.stderr.write(`error: ${text}\n`);
    return EXIT_USAGE;
  }
}

async function generate(options: WriteOptions): Promise<number> {
  const config = readConfig();
  const result = await generateKeyPairFiles(config.dataDir, writePassphrase(config, options));
  out(`generated RSA-2048 key pair in ${keyPaths(config.dataDir).dir}\nfingerprint: ${result.fingerprint}\nnext: flowbridge keys register (or upload current.public.pem to Meta)`);
  return EXIT_OK;
}

async function show(options: { public?: boolean }): Promise<number> {
  const config = readConfig();
  const current = await readCurrentKey(config.dataDir, config.keyPassphrase?.reveal());
  if (options.public === true) {
    out(current.publicPem);
    return EXIT_OK;
  }
  const record = await readRotationRecord(config.dataDir);
  const lines = [`fingerprint: ${current.fingerprint}`, `private key: ${current.encrypted ? 'encrypted with the passphrase' : 'UNENCRYPTED'}`];
  if (record !== undefined) {
    const active = previousKeyActive(record, new Date(), config.keyGraceHours);
    lines.push(`previous key: ${record.previousFingerprint}, rotated ${record.rotatedAt} (${active ? 'still decrypting' : 'grace period over'})`);
  }
  out(`${lines.join('\n')}\n${current.publicPem}`);
  return EXIT_OK;
}

async function rotate(options: WriteOptions): Promise<number> {
  const config = readConfig();
  const graceHours = config.keyGraceHours;
  const record = await rotateKeyPair(config.dataDir, writePassphrase(config, options));
  out([
    `rotated: new fingerprint ${record.currentFingerprint}`,
    `previous key ${record.previousFingerprint} keeps decrypting for ${graceHours} h (until the server restarts after that)`,
    'next: flowbridge keys register, then restart the server so it loads the new key',
  ].join('\n'));
  return EXIT_OK;
}

const normalizePem = (pem: string): string => pem.replace(/\s+/g, '');

async function register(): Promise<number> {
  const config = readConfig();
  if (config.accessToken === undefined || config.phoneNumberId === undefined) {
    throw new KeysUsageError('register needs FLOWBRIDGE_ACCESS_TOKEN and FLOWBRIDGE_PHONE_NUMBER_ID. Fix: set both.');
  }
  const current = await readCurrentKey(config.dataDir, config.keyPassphrase?.reveal());
  loadPublicKey(current.publicPem);
  const graph = createGraphClient({
    baseUrl: config.graphApiBaseUrl,
    version: config.graphApiVersion,
    accessToken: config.accessToken,
    phoneNumberId: config.phoneNumberId,
  });
  await graph.uploadBusinessPublicKey(current.publicPem);
  const registered = await graph.getBusinessPublicKey();
  const same = registered !== undefined && normalizePem(registered.publicKey) === normalizePem(current.publicPem);
  const status = registered?.signatureStatus ?? 'NONE';
  out(`uploaded key ${current.fingerprint} to phone number ${config.phoneNumberId}\nsignature status: ${status}${same ? '' : ' (Meta holds a different key)'}`);
  if (same && status === 'VALID') return EXIT_OK;
  process.stderr.write('error: the key is not registered as VALID. Fix: run `flowbridge keys register` again; if it persists, re-register the phone number (spec §4).\n');
  return EXIT_FAILURE;
}

/** Register `keys` and its subcommands on the program. */
export function registerKeysCommand(program: Command): void {
  const keys = program.command('keys').description('Manage the endpoint\'s RSA-2048 business encryption key pair.').addHelpText('after', help);
  const insecure = '--insecure-no-passphrase';
  const insecureHelp = 'write the private key unencrypted when FLOWBRIDGE_KEY_PASSPHRASE is not set';
  keys
    .command('generate')
    .description('Create the first key pair in <data dir>/keys/.')
    .option(insecure, insecureHelp)
    .action(async (options: WriteOptions) => {
      process.exitCode = await guarded(() => generate(options));
    });
  keys
    .command('show')
    .description('Print the fingerprint and the public key (never the private key).')
    .option('--public', 'print only the public key PEM')
    .action(async (options: { public?: boolean }) => {
      process.exitCode = await guarded(() => show(options));
    });
  keys
    .command('rotate')
    .description('Retire the current key (it keeps decrypting for the grace period) and create a new one.')
    .option(insecure, insecureHelp)
    .action(async (options: WriteOptions) => {
      process.exitCode = await guarded(() => rotate(options));
    });
  keys
    .command('register')
    .description('Upload the public key to the phone number and read back its signature status.')
    .action(async () => {
      process.exitCode = await guarded(register);
    });
}
