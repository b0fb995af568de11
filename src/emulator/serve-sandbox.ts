/**
 * Sandbox mode of `flowbridge serve` (`npm start` without Meta
 * credentials): start the sandbox on `sandboxPort` with the server's
 * current public key registered, and give back the configuration values
 * the server then runs with — the Graph API base URL, access token and
 * phone number id of the emulator, and the app secret its phones sign
 * webhooks and endpoint requests with (the configured one when set, else a
 * fresh one, never logged).
 * @module
 */
import { randomBytes } from 'node:crypto';
import type { Config } from '../config/config-schema.js';
import { Secret } from '../config/secret.js';
import type { PhoneScripts } from './phones/phone-script.js';
import { startSandbox, type Sandbox } from './sandbox.js';

/** True when `serve` should run against the sandbox: no Meta access token is configured. */
export function isSandboxMode(config: Pick<Config, 'accessToken'>): boolean {
  return config.accessToken === undefined;
}

/** The configuration values the server uses in sandbox mode (merge them over the loaded config). */
export interface SandboxConfig {
  readonly graphApiBaseUrl: string;
  readonly accessToken: Secret;
  readonly phoneNumberId: string;
  /** The sandbox's WABA id (flows and templates live under it). */
  readonly wabaId: string;
  /** Verify endpoint requests and webhooks with these (the phones sign with the first). */
  readonly appSecret: Secret[];
}

/** Options of {@link startServeSandbox}. */
export interface ServeSandboxOptions {
  readonly config: Pick<Config, 'appSecret' | 'sandboxPort'>;
  /** The server's current public key (SPKI PEM), registered as `flowbridge keys register` would. */
  readonly businessPublicKeyPem: string;
  /** Phone behaviour (default: open every flow and complete it with generated answers). */
  readonly scripts?: PhoneScripts;
  readonly log?: (line: string) => void;
}

/** Start the sandbox for `serve`; the caller sets `sandbox.phones.setWebhookUrl(<server URL>/webhooks/whatsapp)` once listening, and closes the sandbox with the server. */
export async function startServeSandbox(options: ServeSandboxOptions): Promise<{ sandbox: Sandbox; config: SandboxConfig }> {
  const configured = options.config.appSecret ?? [];
  const secret = configured[0] ?? new Secret(randomBytes(32).toString('hex'));
  const sandbox = await startSandbox({
    appSecret: secret.reveal(),
    port: options.config.sandboxPort,
    businessPublicKeyPem: options.businessPublicKeyPem,
    ...(options.scripts && { scripts: options.scripts }),
    ...(options.log && { log: options.log }),
  });
  return {
    sandbox,
    config: {
      graphApiBaseUrl: sandbox.url,
      accessToken: new Secret(sandbox.accessToken),
      phoneNumberId: sandbox.phoneNumberId,
      wabaId: sandbox.wabaId,
      appSecret: configured.length > 0 ? [...configured] : [secret],
    },
  };
}
