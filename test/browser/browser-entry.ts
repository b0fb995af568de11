/**
 * What the browser bundle exposes: the runtime and the WebCrypto flow crypto,
 * exactly as a web preview would use them. Built by esbuild for the
 * `browser` platform, so any Node-only import fails the build.
 */
import { autoFill, createFlowRuntime } from '../../src/core/runtime/index.js';
import { createWebFlowCrypto } from '../../src/core/runtime/endpoint/web-flow-crypto.js';

async function runAuto(flow: unknown, flowToken: string): Promise<unknown> {
  const runtime = createFlowRuntime(flow, { flowToken });
  if (typeof runtime === 'string') throw new Error(runtime);
  await runtime.start();
  const firstView = runtime.view();
  const result = await autoFill(runtime, 100);
  return { status: result.status, response: runtime.response, firstScreen: firstView.screen };
}

async function encryptRequest(plaintext: unknown, publicKeyPem: string): Promise<unknown> {
  const { body, session } = await createWebFlowCrypto().encryptRequest(plaintext, publicKeyPem);
  return { body, session };
}

(globalThis as Record<string, unknown>).flowbridge = { runAuto, encryptRequest };
