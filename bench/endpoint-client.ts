/**
 * The load generator's HTTP/1.1 client: one keep-alive TCP connection that
 * writes pre-built request bytes and reads `Content-Length` answers, nothing
 * more. node:http's client cost the generator 110–150 µs of CPU per request,
 * which on a 2-core machine is taken from the server under test; this one
 * costs a fraction of that, so the figures say more about the server.
 *
 * It reads exactly what `flowbridge serve` and the bare reference endpoint
 * send: a status line, headers, a `Content-Length` body. Anything else (a
 * chunked body, a malformed head) fails the request as an error and closes
 * the connection, so a misread answer can never count as a good one.
 * @module
 */
import { connect, type Socket } from 'node:net';

/** A request serialised once, written as is on every use. */
export function serialiseRequest(target: URL, headers: Readonly<Record<string, string>>, payload: string): Buffer {
  const body = Buffer.from(payload);
  let head = `POST ${target.pathname} HTTP/1.1\r\nhost: ${target.host}\r\n`;
  for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
  head += `content-length: ${body.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

/** One answer. */
export interface Answer {
  readonly status: number;
  readonly body: string;
}

const HEAD_END = Buffer.from('\r\n\r\n');
const MAX_HEAD = 16 * 1024;

/** Parse a response head: status and the headers this client needs; undefined when malformed. */
export function parseHead(head: string): { status: number; length: number; close: boolean } | undefined {
  const lines = head.split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})(?: |$)/.exec(lines[0] ?? '');
  if (status === null) return undefined;
  let length: number | undefined;
  let close = false;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const colon = line.indexOf(':');
    if (colon <= 0) return undefined;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-length') {
      if (!/^\d+$/.test(value) || (length !== undefined && Number(value) !== length)) return undefined;
      length = Number(value);
    } else if (name === 'transfer-encoding') {
      return undefined;
    } else if (name === 'connection') {
      close = value.toLowerCase().split(',').some((t) => t.trim() === 'close');
    }
  }
  return length === undefined ? undefined : { status: Number(status[1]), length, close };
}

/**
 * A keep-alive connection to `target`. `send` writes one request and
 * resolves with its answer; requests are sent one at a time (the closed-loop
 * client awaits each answer). Rejects when the connection fails, closes
 * before the answer is complete, or the answer is not one this client reads;
 * the connection is then unusable (`usable` false) and a new one is needed.
 */
export class Connection {
  readonly socket: Socket;
  /** When the TCP connection came up (performance.now()), or NaN while connecting. */
  connectedAt = Number.NaN;
  readonly openedAt = performance.now();
  usable = true;
  private chunks: Buffer[] = [];
  private buffered = 0;
  private waiting: { resolve: (a: Answer) => void; reject: (e: Error) => void } | undefined;

  constructor(target: URL) {
    this.socket = connect({ host: target.hostname, port: Number(target.port), noDelay: true });
    this.socket.once('connect', () => { this.connectedAt = performance.now(); });
    this.socket.on('data', (chunk: Buffer) => { this.chunks.push(chunk); this.buffered += chunk.length; this.read(); });
    this.socket.on('error', () => this.fail('connection failed'));
    this.socket.on('close', () => this.fail('connection closed'));
  }

  send(request: Buffer): Promise<Answer> {
    if (!this.usable) return Promise.reject(new Error('connection is not usable'));
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.socket.write(request);
    });
  }

  destroy(): void {
    this.usable = false;
    this.socket.destroy();
  }

  private fail(why: string): void {
    this.usable = false;
    const w = this.waiting;
    this.waiting = undefined;
    w?.reject(new Error(why));
  }

  private read(): void {
    if (this.waiting === undefined) { if (this.buffered > 0) { this.fail('unexpected data'); this.socket.destroy(); } return; }
    const data = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.buffered);
    const end = data.indexOf(HEAD_END);
    if (end < 0) {
      if (data.length > MAX_HEAD) { this.fail('response head too large'); this.socket.destroy(); }
      else this.chunks = [data];
      return;
    }
    const head = parseHead(data.toString('latin1', 0, end));
    if (head === undefined) { this.fail('malformed response'); this.socket.destroy(); return; }
    const bodyStart = end + HEAD_END.length;
    if (data.length < bodyStart + head.length) { this.chunks = [data]; return; }
    if (data.length > bodyStart + head.length) { this.fail('more data than the answer'); this.socket.destroy(); return; }
    this.chunks = [];
    this.buffered = 0;
    if (head.close) this.usable = false;
    const w = this.waiting;
    this.waiting = undefined;
    w.resolve({ status: head.status, body: data.toString('latin1', bodyStart) });
  }
}
