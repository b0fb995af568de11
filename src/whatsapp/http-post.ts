/**
 * The runtime's HTTP transports ({@link HttpPost}), kept out of core, which
 * does no I/O. Both resolve with any status and the body text, and reject on
 * network errors and on timeouts with an error named `TimeoutError`, which the
 * endpoint client reports as a timeout (WhatsApp gives up after 10 s, spec §2.8).
 *
 * - {@link fetchPost}: the global `fetch`. Caveat: per the Fetch standard,
 *   `fetch` repeats a request once on a new connection when the answer is
 *   421 Misdirected Request — the status Flows endpoints use for "cannot
 *   decrypt" (spec §2.6) — so the endpoint sees each such attempt twice
 *   (harmless: nothing was processed, but it skews counts).
 * - {@link nodeHttpPost}: node:http / node:https, byte-exact like the WhatsApp
 *   client: one request per call, `Content-Length` body, capped reply size.
 *   Prefer it where request counts matter (emulator, tests, metrics).
 * @module
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { AppError } from '../core/errors.js';
import type { HttpPost } from '../core/runtime/endpoint/endpoint-client.js';

/** {@link nodeHttpPost} refuses replies larger than this: an endpoint reply is a few kilobytes of base64. */
export const MAX_REPLY_BYTES = 8 * 1024 * 1024;

function timeoutError(ms: number): Error {
  const err = new AppError('ENDPOINT_FAILED', `no response within ${ms} ms`);
  err.name = 'TimeoutError';
  return err;
}

/** POST `body` to `url` and return the status and the body text; rejects on network errors and timeouts. */
export const fetchPost: HttpPost = async (url, body, headers, timeoutMs) => {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(timeoutError(timeoutMs)), timeoutMs);
  try {
    const res = await fetch(url, { method: 'POST', body, headers, signal: controller.signal });
    const text = await res.text();
    return { status: res.status, text };
  } finally {
    clearTimeout(timer);
  }
};

/** POST over node:http(s); rejects on network errors, oversized replies and timeouts (error name `TimeoutError`). */
export const nodeHttpPost: HttpPost = (url, body, headers, timeoutMs) =>
  new Promise((resolve, reject) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      reject(new AppError('USAGE_INVALID', 'endpoint URL is not a valid absolute URL'));
      return;
    }
    const send = target.protocol === 'https:' ? httpsRequest : target.protocol === 'http:' ? httpRequest : undefined;
    if (!send) {
      reject(new AppError('USAGE_INVALID', `endpoint URL scheme ${target.protocol} is not http(s)`));
      return;
    }
    const data = Buffer.from(body, 'utf8');
    const req = send(target, { method: 'POST', headers: { ...headers, 'Content-Length': String(data.length) } });
    const timer = setTimeout(() => req.destroy(timeoutError(timeoutMs)), timeoutMs);
    const fail = (err: Error): void => {
      clearTimeout(timer);
      reject(err);
    };
    req.on('error', fail);
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_REPLY_BYTES) req.destroy(new AppError('ENDPOINT_FAILED', `reply larger than ${MAX_REPLY_BYTES} bytes`));
        else chunks.push(chunk);
      });
      res.on('error', fail);
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.end(data);
  });
