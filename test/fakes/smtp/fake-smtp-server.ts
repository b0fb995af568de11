/**
 * An SMTP server on loopback (the `smtp-server` package) that requires
 * AUTH with one user and password, accepts mail only after it, and keeps
 * every message (envelope, raw RFC 5322 text and its headers) for tests.
 * STARTTLS is disabled so tests need no certificate; AUTH is allowed on the
 * plain connection for the same reason.
 * @module
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A message the server accepted. */
export interface CapturedMail {
  readonly user: string | undefined;
  readonly from: string | undefined;
  readonly to: readonly string[];
  readonly raw: string;
  /** Header name (lower case) → unfolded value. */
  readonly headers: Readonly<Record<string, string>>;
  /** Body after the header block. */
  readonly body: string;
}

/** The running server. */
export interface SmtpFake {
  readonly port: number;
  /** `smtp://user:password@127.0.0.1:port` */
  readonly url: string;
  readonly mails: CapturedMail[];
  /** Failed AUTH attempts (user names only). */
  readonly authFailures: string[];
  close(): Promise<void>;
}

/** Decode RFC 2047 encoded words (`=?UTF-8?Q?…?=`, `=?UTF-8?B?…?=`); whitespace between adjacent words is dropped. */
export function decodeEncodedWords(value: string): string {
  return value
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_m, _charset: string, enc: string, text: string) => {
      if (enc.toUpperCase() === 'B') return Buffer.from(text, 'base64').toString('utf8');
      const bytes = text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_h, hex: string) => String.fromCharCode(parseInt(hex, 16)));
      return Buffer.from(bytes, 'latin1').toString('utf8');
    });
}

function parseHeaders(raw: string): { headers: Record<string, string>; body: string } {
  const split = raw.search(/\r?\n\r?\n/);
  const head = split < 0 ? raw : raw.slice(0, split);
  const body = split < 0 ? '' : raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at > 0) headers[line.slice(0, at).trim().toLowerCase()] = decodeEncodedWords(line.slice(at + 1).trim());
  }
  return { headers, body };
}

/** Start the server requiring `user` / `password`. */
export async function startSmtpFake(credentials: { user: string; password: string }): Promise<SmtpFake> {
  const mails: CapturedMail[] = [];
  const authFailures: string[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === credentials.user && auth.password === credentials.password) return callback(null, { user: auth.username });
      authFailures.push(auth.username ?? '');
      return callback(new Error('Invalid username or password'));
    },
    onMailFrom(_address, session, callback) {
      if (session.user === undefined) return callback(Object.assign(new Error('Authentication required'), { responseCode: 530 }));
      return callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const from = session.envelope.mailFrom === false ? undefined : session.envelope.mailFrom.address;
        mails.push({ user: typeof session.user === 'string' ? session.user : undefined, from, to: session.envelope.rcptTo.map((r) => r.address), raw, ...parseHeaders(raw) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    url: `smtp://${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}`,
    mails,
    authFailures,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
