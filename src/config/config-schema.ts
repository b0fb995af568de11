/**
 * The server configuration: one zod schema is the single source for parsing,
 * for the loader's error messages and for the generated
 * `docs/configuration.md` and `.env.example` (`npm run docs:config`).
 *
 * Every field carries its environment variable name, a description and a
 * fix hint. Secret fields parse into {@link Secret} and may also be read
 * from a file named by `<NAME>_FILE` (Docker / Kubernetes secrets).
 * @module
 */
import { z } from 'zod';
import { Secret } from './secret.js';

/** What the loader and the docs generator need to know about one field besides its schema. */
export interface ConfigFieldMeta {
  /** The environment variable, always `FLOWBRIDGE_*`. */
  readonly env: string;
  /** Shown in the docs, and the fix hint in error messages. */
  readonly description: string;
  /** How a correct value looks; completes "Fix: set X to …" in error messages. */
  readonly expected: string;
  /** Example value for `.env.example` (omit for secrets that have no safe example). */
  readonly example?: string;
  /** Parsed into a {@link Secret}, never printed, and also readable from `<env>_FILE`. */
  readonly secret?: boolean;
  /** Text for the docs when the default is computed from other fields. */
  readonly defaultNote?: string;
}

/** Field → metadata; a typed registry rather than zod's untyped global `.meta()`. */
const fieldMeta = z.registry<ConfigFieldMeta>();

function field<T extends z.ZodType>(schema: T, meta: ConfigFieldMeta): T {
  const described = schema.describe(meta.description);
  fieldMeta.add(described, meta);
  return described;
}

const secret = () => z.string().min(1, 'must not be empty').transform((value) => new Secret(value));

const httpUrl = () => z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A whole number from min to max. Only text is converted (environment, flags); a JSON `true` or `null` is an error, not 1 or 0. */
const wholeNumber = (min: number, max: number) => z.preprocess(
  (value) => (typeof value === 'string' ? Number(value.trim() === '' ? Number.NaN : value) : value),
  z.number({ error: 'must be a number' }).int('must be a whole number').min(min, `must be ${min} or more`).max(max, `must be at most ${max}`),
);

const shape = {
  port: field(
    wholeNumber(0, 65535).default(8080),
    {
    env: 'FLOWBRIDGE_PORT',
    description: 'TCP port the HTTP server (flow endpoint, webhooks, admin) listens on.',
    expected: 'a port number between 0 and 65535 (0 picks a free port), e.g. 8080',
    example: '8080',
  }),
  host: field(z.string().min(1, 'must not be empty').default('0.0.0.0'), {
    env: 'FLOWBRIDGE_HOST',
    description: 'Interface to bind; 0.0.0.0 listens on all interfaces (containers), 127.0.0.1 only locally.',
    expected: 'a host name or IP address, e.g. 0.0.0.0',
    example: '0.0.0.0',
  }),
  acceptLanes: field(wholeNumber(0, 256).default(64), {
    env: 'FLOWBRIDGE_ACCEPT_LANES',
    description:
      'Extra handles on the listening socket, each accepting one new connection per event-loop turn (Node accepts one per handle per turn, so a burst of new connections otherwise waits in the kernel queue while the server is busy). 0 turns them off.',
    expected: 'a whole number from 0 to 256, e.g. 64',
    example: '64',
  }),
  dataDir: field(z.string().min(1, 'must not be empty').default('./data'), {
    env: 'FLOWBRIDGE_DATA_DIR',
    description: 'Directory for local state: the default SQLite database and generated files.',
    expected: 'a directory path, e.g. ./data or /data',
    example: './data',
  }),
  databaseUrl: field(
    z
      .string()
      .refine((url) => /^(?:sqlite:|postgres(?:ql)?:\/\/)/.test(url), 'must start with sqlite: or postgres://')
      .transform((value) => new Secret(value))
      .optional(),
    {
      env: 'FLOWBRIDGE_DATABASE_URL',
      description:
        'Database to use. `sqlite:<path>` (or `sqlite::memory:` for tests) embeds SQLite; `postgres://user:pass@host:5432/db` selects PostgreSQL for multi-instance deployments. Treated as a secret because the URL may hold a password.',
      expected: 'sqlite:<path> or postgres://user:password@host:5432/database',
      example: 'sqlite:./data/flowbridge.db',
      secret: true,
      defaultNote: '`sqlite:<FLOWBRIDGE_DATA_DIR>/flowbridge.db`',
    },
  ),
  appSecret: field(
    z
      .preprocess(
        (value) => (typeof value === 'string' ? value.split(',').map((part) => part.trim()) : value),
        z.array(z.string().min(1, 'has an empty entry (check for stray commas)')).min(1, 'must list at least one secret'),
      )
      .transform((values) => values.map((value) => new Secret(value)))
      .optional(),
    {
      env: 'FLOWBRIDGE_APP_SECRET',
      description:
        'Meta app secret(s) that sign webhook POSTs and flow endpoint requests (X-Hub-Signature-256). Comma-separated to accept old and new secret while rotating.',
      expected: 'the App Secret from the Meta app dashboard (Settings > Basic), several separated by commas',
      secret: true,
    },
  ),
  verifyToken: field(secret().optional(), {
    env: 'FLOWBRIDGE_VERIFY_TOKEN',
    description: 'Token Meta echoes in the webhook verification request (hub.verify_token); choose any random string and enter the same in the app dashboard.',
    expected: 'a random string you also enter in the Meta app dashboard',
    secret: true,
  }),
  keyPassphrase: field(secret().optional(), {
    env: 'FLOWBRIDGE_KEY_PASSPHRASE',
    description: 'Passphrase of the encrypted RSA private key that decrypts flow endpoint requests.',
    expected: 'the passphrase the private key was encrypted with',
    secret: true,
  }),
  keyGraceHours: field(
    z
      .preprocess(
        (value) => (typeof value === 'string' ? Number(value.trim() === '' ? Number.NaN : value) : value),
        z.number({ error: 'must be a number' }).min(0, 'must not be negative'),
      )
      .default(72),
    {
      env: 'FLOWBRIDGE_KEY_GRACE_HOURS',
      description: 'Hours after `flowbridge keys rotate` during which the previous private key still decrypts requests (clients that cached the old public key).',
      expected: 'a number of hours, 0 or more',
      example: '72',
    },
  ),
  publicUrl: field(httpUrl().optional(), {
    env: 'FLOWBRIDGE_PUBLIC_URL',
    description: 'Public HTTPS base URL Meta reaches this server at; used to print the endpoint and webhook URLs to register.',
    expected: 'an https:// URL, e.g. https://flows.example.com',
    example: 'https://flows.example.com',
  }),
  logLevel: field(z.enum(logLevels, { error: `must be one of ${logLevels.join(', ')}` }).default('info'), {
    env: 'FLOWBRIDGE_LOG_LEVEL',
    description: 'Minimum level of the JSON log lines written to stdout.',
    expected: `one of ${logLevels.join(', ')}`,
    example: 'info',
  }),
  graphApiBaseUrl: field(httpUrl().default('https://graph.facebook.com'), {
    env: 'FLOWBRIDGE_GRAPH_API_BASE_URL',
    description: 'Base URL of the Meta Graph API; point it at the bundled emulator to work offline.',
    expected: 'an http(s) URL, e.g. https://graph.facebook.com',
    example: 'https://graph.facebook.com',
  }),
  graphApiVersion: field(z.string().regex(/^v\d+\.\d+$/, 'must look like v23.0').default('v23.0'), {
    env: 'FLOWBRIDGE_GRAPH_API_VERSION',
    description: 'Graph API version segment used in every Graph API path.',
    expected: 'a version such as v23.0',
    example: 'v23.0',
  }),
  accessToken: field(secret().optional(), {
    env: 'FLOWBRIDGE_ACCESS_TOKEN',
    description: 'Graph API access token (a system user token) used to send messages and manage flows.',
    expected: 'a system user access token from Meta Business Settings',
    secret: true,
  }),
  phoneNumberId: field(z.string().regex(/^\d+$/, 'must contain digits only').optional(), {
    env: 'FLOWBRIDGE_PHONE_NUMBER_ID',
    description: 'WhatsApp Business phone number id that messages are sent from (not the phone number itself).',
    expected: 'the numeric phone number id shown in WhatsApp Manager / the API setup page',
    example: '106540352242922',
  }),
  wabaId: field(z.string().regex(/^\d+$/, 'must contain digits only').optional(), {
    env: 'FLOWBRIDGE_WABA_ID',
    description: 'WhatsApp Business Account id that owns the flows and templates (`flowbridge publish`, template reads).',
    expected: 'the numeric WhatsApp Business Account id from WhatsApp Manager',
    example: '102290129340398',
  }),
  businessPhone: field(z.string().regex(/^\+?\d{8,15}$/, 'must be the number in international format, digits only (a leading + is fine)').optional(), {
    env: 'FLOWBRIDGE_BUSINESS_PHONE',
    description: 'The business\'s WhatsApp number (country code first) used in wa.me links and QR codes (`flowbridge link`, GET /api/flows/:id/link).',
    expected: 'a phone number in international format, e.g. +15550001111',
    example: '+15550001111',
  }),
  projectFile: field(z.string().min(1, 'must not be empty').optional(), {
    env: 'FLOWBRIDGE_PROJECT_FILE',
    description:
      'Project file (YAML or JSON) listing the flows this server serves: each flow\'s form or Flow JSON, entry points (keyword, ad ids), message texts and the sinks its answers are delivered to. `${VAR}` in it is read from the environment. Default: `flowbridge.yaml` in the working directory when it exists, else no flows (the sandbox demo flow is added when no Meta credentials are set).',
    expected: 'a path to a .yaml, .yml or .json file, e.g. ./flowbridge.yaml',
    example: './flowbridge.yaml',
  }),
  apiKey: field(z.string().min(24, 'must be at least 24 characters').transform((value) => new Secret(value)).optional(), {
    env: 'FLOWBRIDGE_API_KEY',
    description:
      'Key that agents, bots, helpdesks and the admin API send as `Authorization: Bearer <key>` (POST /api/sends, /api/deliveries, /api/broadcasts). Without it the /api routes answer 401 to every request.',
    expected: 'a random string of at least 24 characters, e.g. from `openssl rand -hex 24`',
    secret: true,
  }),
  deliveryMaxAttempts: field(
    z.preprocess(
      (value) => (typeof value === 'string' ? Number(value.trim() === '' ? Number.NaN : value) : value),
      z.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').max(1000, 'must be at most 1000'),
    ).default(50),
    {
      env: 'FLOWBRIDGE_DELIVERY_MAX_ATTEMPTS',
      description: 'Attempts of one delivery (submission → sink) before it is moved to the dead-letter state; retries back off exponentially with full jitter (cap 1 h) and honour Retry-After. 50 outlasts a day-long outage; the age budget (FLOWBRIDGE_DELIVERY_MAX_AGE_HOURS) usually ends first.',
      expected: 'a whole number between 1 and 1000',
      example: '50',
    },
  ),
  deliveryMaxAgeHours: field(
    z.preprocess(
      (value) => (typeof value === 'string' ? Number(value.trim() === '' ? Number.NaN : value) : value),
      z.number({ error: 'must be a number' }).positive('must be more than 0'),
    ).default(72),
    {
      env: 'FLOWBRIDGE_DELIVERY_MAX_AGE_HOURS',
      description: 'Age after which a delivery still failing is moved to the dead-letter state, whatever its attempt count (replay brings it back).',
      expected: 'a number of hours, e.g. 72',
      example: '72',
    },
  ),
  deliveryConcurrency: field(
    z.preprocess(
      (value) => (typeof value === 'string' ? Number(value.trim() === '' ? Number.NaN : value) : value),
      z.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').max(256, 'must be at most 256'),
    ).default(8),
    {
      env: 'FLOWBRIDGE_DELIVERY_CONCURRENCY',
      description: 'Deliveries one server process runs at the same time.',
      expected: 'a whole number between 1 and 256',
      example: '8',
    },
  ),
  pgbossSchema: field(z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case PostgreSQL identifier (letters, digits, _)').default('pgboss'), {
    env: 'FLOWBRIDGE_PGBOSS_SCHEMA',
    description: 'PostgreSQL schema of the delivery queue (pg-boss). Instances that share work must use the same one; separate deployments on one database must not.',
    expected: 'a schema name such as pgboss or flowbridge_queue',
    example: 'pgboss',
  }),
  alertSlackWebhookUrl: field(httpUrl().transform((value) => new Secret(value)).optional(), {
    env: 'FLOWBRIDGE_ALERT_SLACK_WEBHOOK_URL',
    description: 'Slack-compatible incoming webhook that receives alerts (failed deliveries, dead letters, Meta flow health events) and recovery notices.',
    expected: 'an incoming webhook URL, e.g. https://hooks.slack.com/services/T000/B000/XXXX',
    secret: true,
  }),
  alertWebhookUrl: field(httpUrl().optional(), {
    env: 'FLOWBRIDGE_ALERT_WEBHOOK_URL',
    description: 'Generic webhook that receives alerts as JSON, signed with the Standard Webhooks headers when FLOWBRIDGE_ALERT_WEBHOOK_SECRET is set.',
    expected: 'an http(s) URL',
    example: 'https://ops.example.com/hooks/flowbridge',
  }),
  alertWebhookSecret: field(secret().optional(), {
    env: 'FLOWBRIDGE_ALERT_WEBHOOK_SECRET',
    description: 'Standard Webhooks signing secret (`whsec_…`) for the generic alert webhook.',
    expected: 'a secret of the form whsec_<base64>',
    secret: true,
  }),
  alertSmtpUrl: field(
    z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').transform((value) => new Secret(value)).optional(),
    {
      env: 'FLOWBRIDGE_ALERT_SMTP_URL',
      description: 'SMTP server that sends alert emails, with credentials in the URL (smtps:// for TLS).',
      expected: 'smtp://user:password@mail.example.com:587 or smtps://…:465',
      secret: true,
    },
  ),
  alertEmailFrom: field(z.email('must be an email address').optional(), {
    env: 'FLOWBRIDGE_ALERT_EMAIL_FROM',
    description: 'Sender address of alert emails.',
    expected: 'an email address',
    example: 'flowbridge@example.com',
  }),
  alertEmailTo: field(
    z.preprocess(
      (value) => (typeof value === 'string' ? value.split(',').map((part) => part.trim()) : value),
      z.array(z.email('has an entry that is not an email address')).min(1, 'must list at least one address'),
    ).optional(),
    {
      env: 'FLOWBRIDGE_ALERT_EMAIL_TO',
      description: 'Recipients of alert emails, comma-separated.',
      expected: 'one or more email addresses separated by commas',
      example: 'ops@example.com',
    },
  ),
  broadcastRate: field(
    z.preprocess(
      (value) => (typeof value === 'string' ? Number(value.trim() === '' ? Number.NaN : value) : value),
      z.number({ error: 'must be a number' }).positive('must be more than 0').max(1000, 'must be at most 1000 (Cloud API upper throughput)'),
    ).default(80),
    {
      env: 'FLOWBRIDGE_BROADCAST_RATE',
      description: 'Messages per second a broadcast sends at (Cloud API default throughput is 80 mps per phone number); 130429 errors slow it down.',
      expected: 'messages per second, between 0 and 1000',
      example: '80',
    },
  ),
  sandboxPort: field(
    z.preprocess(
      (value) => (typeof value === 'string' ? Number(value.trim() === '' ? Number.NaN : value) : value),
      z.number({ error: 'must be a number' }).int('must be a whole number').min(0, 'must be 0 or more').max(65535, 'must be at most 65535'),
    ).default(8090),
    {
      env: 'FLOWBRIDGE_SANDBOX_PORT',
      description: 'Port of the built-in Meta emulator (Graph API + virtual phones) that `serve` starts when no FLOWBRIDGE_ACCESS_TOKEN is set (sandbox mode).',
      expected: 'a port number between 0 and 65535, e.g. 8090',
      example: '8090',
    },
  ),
};

/** A key of the configuration object. */
export type ConfigKey = keyof typeof shape;

/** `sqlite:<dataDir>/flowbridge.db`: the embedded default needs no setup. */
export function defaultDatabaseUrl(dataDir: string): string {
  return `sqlite:${dataDir.replace(/\/+$/, '')}/flowbridge.db`;
}

/**
 * The configuration schema. Input: plain values keyed by {@link ConfigKey}
 * (strings from the environment are coerced); output: the typed
 * {@link Config}, with secrets wrapped and computed defaults filled in.
 */
export const configSchema = z
  .strictObject(shape)
  .transform((config) => ({ ...config, databaseUrl: config.databaseUrl ?? new Secret(defaultDatabaseUrl(config.dataDir)) }));

/** The validated configuration. */
export type Config = z.output<typeof configSchema>;

/** One schema field with its metadata, in schema order. */
export interface ConfigField {
  readonly key: ConfigKey;
  readonly schema: z.ZodType;
  readonly meta: ConfigFieldMeta;
}

/** Every field in schema order: drives the loader, the docs and `.env.example`. */
export const configFields: readonly ConfigField[] = (Object.keys(shape) as ConfigKey[]).map((key) => {
  const schema: z.ZodType = shape[key];
  const meta = fieldMeta.get(schema);
  if (meta === undefined) throw new Error(`config field ${key} has no metadata`);
  return { key, schema, meta };
});
