/**
 * The runtime runs in a browser: the same engine, bundled for the browser
 * platform, completes a flow (a) in a DOM-free browser-like sandbox with only
 * Web globals and (b) in headless Chromium when /usr/bin/chromium exists
 * (.ci/run installs it). Its WebCrypto requests decrypt with the server side.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createContext, runInContext } from 'node:vm';
import { webcrypto } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { autoFill, createFlowRuntime } from '../../src/core/runtime/index.js';
import { decryptFlowRequest, loadPrivateKey } from '../../src/whatsapp/flow-crypto.js';
import { buildBrowserBundle } from './bundle.js';

const fixtures = new URL('../../../shared/fixtures/', import.meta.url);
const flowText = readFileSync(new URL('meta/v6.0_update_data.json', fixtures), 'utf8');
const surveyText = readFileSync(new URL('meta/v3.1_survey_multi_screen.json', fixtures), 'utf8');
const publicPem = readFileSync(new URL('crypto/test-public-key.pem', fixtures), 'utf8');
const privateKey = loadPrivateKey(readFileSync(new URL('crypto/test-private-key.pem', fixtures), 'utf8'));

/** The reference result: the same flow run by the engine on Node. */
async function runOnNode(text: string, token: string): Promise<unknown> {
  const runtime = createFlowRuntime(JSON.parse(text), { flowToken: token });
  if (typeof runtime === 'string') throw new Error(runtime);
  await runtime.start();
  const firstScreen = runtime.view().screen;
  const result = await autoFill(runtime, 100);
  return { status: result.status, response: runtime.response, firstScreen };
}

let bundle = '';
beforeAll(async () => {
  bundle = await buildBrowserBundle();
});

describe('browser bundle', () => {
  it('has no Node built-in left in it', () => {
    expect(bundle).not.toMatch(/require\(["']node:|from ["']node:/);
    expect(bundle.length).toBeGreaterThan(10_000);
  });

  it('completes a flow in a DOM-free sandbox with only Web globals, as on Node', async () => {
    const sandbox: Record<string, unknown> = {
      crypto: webcrypto, TextEncoder, TextDecoder, atob, btoa, console, setTimeout, clearTimeout,
      AbortController, URL,
    };
    sandbox.globalThis = sandbox;
    const context = createContext(sandbox);
    expect(runInContext('typeof process + typeof require', context)).toBe('undefinedundefined');
    runInContext(bundle, context);
    const api = sandbox.flowbridge as { runAuto(flow: unknown, token: string): Promise<unknown> };
    // JSON crosses the realm boundary as text so that deep equality compares plain values.
    const inSandbox = JSON.parse(JSON.stringify(await api.runAuto(JSON.parse(surveyText), 'tok-vm')));
    expect(inSandbox).toEqual(await runOnNode(surveyText, 'tok-vm'));
    expect(inSandbox.status).toBe('completed');
  });
});

/** What browser-entry.ts puts on the page's global object. */
interface BrowserApi {
  runAuto(flow: unknown, token: string): Promise<unknown>;
  encryptRequest(request: unknown, pem: string): Promise<{ body: unknown }>;
}

const chromiumPath = '/usr/bin/chromium';
describe.runIf(existsSync(chromiumPath))('headless Chromium', () => {
  let browser: Browser;
  let server: Server;
  let origin = '';
  /** A page served from loopback: a secure context, so WebCrypto is available as on https. */
  async function openPage(): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(`${origin}/`);
    return page;
  }
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/bundle.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
      } else {
        res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>flowbridge</title><script src="/bundle.js"></script>');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('runs a flow to completion in the page and matches the Node run', async () => {
    const page = await openPage();
    const result = await page.evaluate(
      ([text, token]) => (globalThis as unknown as { flowbridge: BrowserApi }).flowbridge.runAuto(JSON.parse(text), token),
      [flowText, 'tok-browser'] as [string, string],
    );
    expect(result).toEqual(await runOnNode(flowText, 'tok-browser'));
    expect((result as { status: string }).status).toBe('completed');
  });

  it('encrypts an endpoint request with WebCrypto that the server side decrypts', async () => {
    const page = await openPage();
    const request = { version: '3.0', action: 'INIT', flow_token: 'tok-browser', data: { ünï: 'cödé' } };
    const { body } = await page.evaluate(
      ([req, pem]) => (globalThis as unknown as { flowbridge: BrowserApi }).flowbridge.encryptRequest(req, pem),
      [request, publicPem] as [typeof request, string],
    );
    expect(decryptFlowRequest(body, [privateKey]).plaintext).toEqual(request);
  });
});
