/**
 * Reads one HTTP request the way the Graph API does: optional version
 * segment (`/v23.0/…`), Bearer token (or `access_token` query), and a body
 * of JSON, url-encoded or multipart form fields (spec §7: form fields,
 * arrays as JSON-encoded strings). Multipart is parsed with the platform's
 * own `Response.formData()`, so files arrive as `File` objects.
 * @module
 */
import type { IncomingMessage } from 'node:http';
import { GraphFault, fault } from './graph-fault.js';

/** Largest body accepted: a 10 MB flow.json plus multipart overhead. */
export const MAX_BODY_BYTES = 12 * 1024 * 1024;

/** A parsed request. */
export interface EmulatorRequest {
  readonly method: string;
  /** Path segments without the version, e.g. `['123', 'assets']`. */
  readonly segments: string[];
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  /** Fields of a form body, or the keys of a JSON object body. */
  readonly fields: Record<string, unknown>;
  /** True when the body was JSON (values keep their JSON types). */
  readonly isJson: boolean;
  /** The credential presented (Bearer token, query token or API-key header value). */
  readonly credential: string | undefined;
  /** The header the credential came in (`authorization`, `access_token` or the API-key header). */
  readonly credentialSource: string | undefined;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new GraphFault({ httpStatus: 413, code: 100, title: 'Request body too large' });
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

async function parseFields(raw: Buffer, contentType: string): Promise<{ fields: Record<string, unknown>; isJson: boolean }> {
  if (raw.length === 0) return { fields: {}, isJson: false };
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json') {
    let value: unknown;
    try {
      value = JSON.parse(raw.toString('utf8'));
    } catch {
      throw fault.invalid('The request body is not valid JSON.');
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw fault.invalid('The request body must be a JSON object.');
    return { fields: value as Record<string, unknown>, isJson: true };
  }
  if (type === 'multipart/form-data') {
    let form: FormData;
    try {
      form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    } catch {
      throw fault.invalid('The multipart/form-data body could not be parsed.');
    }
    const fields: Record<string, unknown> = {};
    form.forEach((value, key) => {
      fields[key] = value;
    });
    return { fields, isJson: false };
  }
  // Graph reads url-encoded bodies whatever the declared type (curl -d sends it).
  return { fields: Object.fromEntries(new URLSearchParams(raw.toString('utf8'))), isJson: false };
}

/** Parse `req`; rejects with a {@link GraphFault} on an unreadable body. */
export async function readEmulatorRequest(req: IncomingMessage, apiKeyHeader: string | undefined): Promise<EmulatorRequest> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  let segments: string[];
  try {
    segments = url.pathname.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
  } catch {
    throw fault.invalid('The request path is not validly percent-encoded.');
  }
  if (segments[0] !== undefined && /^v\d+\.\d+$/.test(segments[0])) segments.shift();
  const { fields, isJson } = await parseFields(await readBody(req), req.headers['content-type'] ?? '');
  let credential: string | undefined;
  let credentialSource: string | undefined;
  const auth = req.headers.authorization;
  const keyHeader = apiKeyHeader === undefined ? undefined : req.headers[apiKeyHeader.toLowerCase()];
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    credential = m?.[1] ?? '';
    credentialSource = 'authorization';
  } else if (typeof keyHeader === 'string') {
    credential = keyHeader;
    credentialSource = apiKeyHeader!.toLowerCase();
  } else if (url.searchParams.has('access_token')) {
    credential = url.searchParams.get('access_token') ?? '';
    credentialSource = 'access_token';
  } else if (typeof fields.access_token === 'string') {
    credential = fields.access_token;
    credentialSource = 'access_token';
  }
  return { method: req.method ?? 'GET', segments, query: url.searchParams, headers: req.headers, fields, isJson, credential, credentialSource };
}

/** A string field, or undefined. JSON bodies may give numbers/booleans, which Graph accepts as text. */
export function textField(req: EmulatorRequest, name: string): string | undefined {
  const v = req.fields[name];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** An array field: a JSON array in a JSON body, a JSON-encoded array string in a form body. */
export function arrayField(req: EmulatorRequest, name: string): unknown[] | undefined {
  const v = req.fields[name];
  if (v === undefined) return undefined;
  if (Array.isArray(v)) return v as unknown[];
  if (typeof v === 'string') {
    try {
      const parsed: unknown = JSON.parse(v);
      if (Array.isArray(parsed)) return parsed as unknown[];
    } catch {
      // fall through
    }
  }
  throw fault.invalid(`Param ${name} must be a JSON-encoded array.`);
}
