/**
 * The server's logger: pino JSON lines on stdout (Fastify's native logger).
 * Secrets never reach it: config secrets print as `[redacted]` by
 * construction (`Secret`), request bodies and headers are not serialised at
 * all (endpoint bodies are encrypted user data, spec §2), and the paths below
 * are censored as a second line of defence should a caller log such an object.
 * @module
 */
import { pino, type DestinationStream, type Logger } from 'pino';

/** Censored wherever they appear in a logged object (one or two levels deep). */
export const REDACTED_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-hub-signature-256"]',
  'headers.authorization',
  'headers["x-hub-signature-256"]',
  'body',
  'req.body',
  'rawBody',
  ...['appSecret', 'passphrase', 'password', 'privateKey', 'accessToken', 'flowToken', 'flow_token', 'secret', 'token'].flatMap((k) => [k, `*.${k}`]),
];

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  readonly level: string;
  /** Where lines go; default stdout. Tests pass a buffer. */
  readonly destination?: DestinationStream;
}

/** Create the process logger. */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'flowbridge' },
      redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
