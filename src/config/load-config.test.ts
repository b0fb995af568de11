import { inspect } from 'node:util';
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { AppError, isAppError } from '../core/errors.js';
import { loadConfig, type LoadConfigOptions } from './load-config.js';

/** A fake file system: unknown paths throw like fs does. */
function files(contents: Record<string, string>): (path: string) => string {
  return (path) => {
    const text = contents[path];
    if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: 'ENOENT' });
    return text;
  };
}

function load(env: Record<string, string>, extra: Partial<LoadConfigOptions> = {}) {
  return loadConfig({ env, readFile: files({}), ...extra });
}

function failure(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (isAppError(error, 'USAGE_INVALID')) return error;
    throw error;
  }
  throw new Error('expected loadConfig to throw');
}

function problemsOf(error: AppError): string[] {
  return error.details?.problems as string[];
}

describe('loadConfig defaults', () => {
  it('fills every default from an empty environment', () => {
    const config = load({});
    expect(config).toMatchObject({ port: 8080, host: '0.0.0.0', dataDir: './data', logLevel: 'info' });
    expect(config.graphApiBaseUrl).toBe('https://graph.facebook.com');
    expect(config.graphApiVersion).toBe('v23.0');
    expect(config.databaseUrl.reveal()).toBe('sqlite:./data/flowbridge.db');
    expect(config.appSecret).toBeUndefined();
    expect(config.accessToken).toBeUndefined();
  });

  it('derives the default database from the data dir', () => {
    const config = load({ FLOWBRIDGE_DATA_DIR: '/var/lib/flowbridge/' });
    expect(config.databaseUrl.reveal()).toBe('sqlite:/var/lib/flowbridge/flowbridge.db');
    const explicit = load({ FLOWBRIDGE_DATA_DIR: '/x', FLOWBRIDGE_DATABASE_URL: 'postgres://u@db/flows' });
    expect(explicit.databaseUrl.reveal()).toBe('postgres://u@db/flows');
  });

  it('treats empty variables as unset', () => {
    expect(load({ FLOWBRIDGE_PORT: '', FLOWBRIDGE_APP_SECRET: ' ' }).port).toBe(8080);
  });
});

describe('loadConfig layers', () => {
  const file = files({ '/etc/fb.json': JSON.stringify({ port: 1000, host: '10.0.0.1', logLevel: 'debug' }) });

  it('applies defaults < file < env < overrides', () => {
    const env = { FLOWBRIDGE_CONFIG: '/etc/fb.json', FLOWBRIDGE_PORT: '2000', FLOWBRIDGE_LOG_LEVEL: 'warn' };
    const all = loadConfig({ env, readFile: file, argvOverrides: { port: 3000 } });
    expect(all).toMatchObject({ port: 3000, logLevel: 'warn', host: '10.0.0.1', dataDir: './data' });
    expect(loadConfig({ env, readFile: file }).port).toBe(2000);
    expect(loadConfig({ env: { FLOWBRIDGE_CONFIG: '/etc/fb.json' }, readFile: file }).port).toBe(1000);
    expect(loadConfig({ env, readFile: file, argvOverrides: { port: undefined } }).port).toBe(2000);
  });

  it('parses any valid port from the environment', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 65535 }), (port) => {
        expect(load({ FLOWBRIDGE_PORT: String(port) }).port).toBe(port);
      }),
    );
  });

  it('rejects any port outside 0..65535 or not a whole number, naming the variable', () => {
    const bad = fc.oneof(
      fc.integer({ min: 65536, max: 10_000_000 }).map(String),
      fc.integer({ min: -1000, max: -1 }).map(String),
      fc.stringMatching(/^[a-z]{1,8}$/),
      fc.double({ min: 1.01, max: 100, noNaN: true }).filter((n) => !Number.isInteger(n)).map(String),
    );
    fc.assert(
      fc.property(bad, (value) => {
        const error = failure(() => load({ FLOWBRIDGE_PORT: value }));
        expect(problemsOf(error)).toHaveLength(1);
        expect(error.message).toContain('FLOWBRIDGE_PORT');
        expect(error.message).toContain('Fix: set FLOWBRIDGE_PORT to a port number');
      }),
    );
  });

  it('takes 0 to 256 accept lanes (default 64) and refuses anything else, naming the variable', () => {
    expect(load({}).acceptLanes).toBe(64);
    expect(load({ FLOWBRIDGE_ACCEPT_LANES: '0' }).acceptLanes).toBe(0);
    for (const value of ['257', '-1', '2.5', 'many']) {
      const error = failure(() => load({ FLOWBRIDGE_ACCEPT_LANES: value }));
      expect(problemsOf(error)).toHaveLength(1);
      expect(error.message).toContain('Fix: set FLOWBRIDGE_ACCEPT_LANES to a whole number from 0 to 256');
    }
  });

  it('splits comma-separated app secrets for rotation', () => {
    const config = load({ FLOWBRIDGE_APP_SECRET: 'new-secret, old-secret' });
    expect(config.appSecret?.map((s) => s.reveal())).toEqual(['new-secret', 'old-secret']);
    const error = failure(() => load({ FLOWBRIDGE_APP_SECRET: 'a,,b' }));
    expect(error.message).toMatch(/FLOWBRIDGE_APP_SECRET: has an empty entry/);
    expect(problemsOf(failure(() => load({ FLOWBRIDGE_APP_SECRET: ',,' })))).toHaveLength(1);
  });
});

describe('loadConfig secrets from files', () => {
  it('reads <NAME>_FILE, trimmed, for every secret', () => {
    const readFile = files({ '/run/secrets/app': 'from-file\n', '/run/secrets/token': '  tok  \n', '/run/secrets/db': 'postgres://u:p@h/d\n' });
    const config = loadConfig({
      env: { FLOWBRIDGE_APP_SECRET_FILE: '/run/secrets/app', FLOWBRIDGE_ACCESS_TOKEN_FILE: '/run/secrets/token', FLOWBRIDGE_DATABASE_URL_FILE: '/run/secrets/db' },
      readFile,
    });
    expect(config.appSecret?.map((s) => s.reveal())).toEqual(['from-file']);
    expect(config.accessToken?.reveal()).toBe('tok');
    expect(config.databaseUrl.reveal()).toBe('postgres://u:p@h/d');
  });

  it('refuses a secret given both directly and as a file', () => {
    const error = failure(() => load({ FLOWBRIDGE_VERIFY_TOKEN: 'x', FLOWBRIDGE_VERIFY_TOKEN_FILE: '/run/secrets/v' }));
    expect(error.message).toContain('FLOWBRIDGE_VERIFY_TOKEN and FLOWBRIDGE_VERIFY_TOKEN_FILE are both set');
  });

  it('reports an unreadable secret file with its variable', () => {
    const error = failure(() => load({ FLOWBRIDGE_KEY_PASSPHRASE_FILE: '/missing' }));
    expect(error.message).toMatch(/FLOWBRIDGE_KEY_PASSPHRASE_FILE: cannot read \/missing \(ENOENT\)/);
  });
});

describe('loadConfig problems', () => {
  it('lists every problem at once, each with variable, cause and fix', () => {
    const env = {
      FLOWBRIDGE_PORT: 'eighty',
      FLOWBRIDGE_LOG_LEVEL: 'loud',
      FLOWBRIDGE_GRAPH_API_VERSION: '23',
      FLOWBRIDGE_DATABASE_URL: 'mysql://root:hunter2@db/flows',
      FLOWBRIDGE_APP_SECRET_FILE: '/nope',
      FLOWBRIDGE_VERIFY_TOKEN: 'v',
      FLOWBRIDGE_VERIFY_TOKEN_FILE: '/v',
      FLOWBRIDGE_PUBLIC_URL: 'ftp://example.com',
    };
    const error = failure(() => load(env));
    expect(error.code).toBe('USAGE_INVALID');
    const problems = problemsOf(error);
    expect(problems).toHaveLength(7);
    for (const name of ['PORT', 'LOG_LEVEL', 'GRAPH_API_VERSION', 'DATABASE_URL', 'APP_SECRET_FILE', 'VERIFY_TOKEN', 'PUBLIC_URL']) {
      expect(problems.some((p) => p.includes(`FLOWBRIDGE_${name}`))).toBe(true);
    }
    for (const problem of problems) {
      expect(problem).toContain('Fix:');
      expect(error.message).toContain(problem);
    }
    expect(error.message).toContain('(7 problems)');
    expect(error.message).toContain('"eighty"');
  });

  it('never echoes a secret value in a problem', () => {
    const error = failure(() => load({ FLOWBRIDGE_DATABASE_URL: 'mysql://root:hunter2@db/flows', FLOWBRIDGE_ACCESS_TOKEN: 'tok', FLOWBRIDGE_PORT: '0' }));
    expect(error.message).not.toContain('hunter2');
    expect(JSON.stringify(error.details)).not.toContain('hunter2');
  });

  it('reports config file problems: unreadable, not JSON, not an object, unknown keys', () => {
    expect(failure(() => load({ FLOWBRIDGE_CONFIG: '/missing.json' })).message).toMatch(/cannot read config file \/missing\.json/);
    const readFile = files({ '/bad.json': '{ port: 1 }', '/list.json': '[]', '/typo.json': '{"prot": 1, "zzzzzzzz": 2, "port": "x"}' });
    expect(failure(() => load({ FLOWBRIDGE_CONFIG: '/bad.json' }, { readFile })).message).toMatch(/not valid JSON/);
    expect(failure(() => load({ FLOWBRIDGE_CONFIG: '/list.json' }, { readFile })).message).toMatch(/must hold a JSON object/);
    const typo = failure(() => load({ FLOWBRIDGE_CONFIG: '/typo.json' }, { readFile }));
    expect(problemsOf(typo)).toHaveLength(3);
    expect(typo.message).toContain('unknown key "prot". Fix: rename it to "port"');
    expect(typo.message).toContain('unknown key "zzzzzzzz". Fix: remove it');
    expect(typo.message).toContain('config file /typo.json, key "port" (FLOWBRIDGE_PORT): must be a number');
  });

  it('does not coerce JSON booleans or null into ports', () => {
    const readFile = files({ '/t.json': '{"port": true}', '/n.json': '{"port": null}', '/ok.json': '{"port": 8443}' });
    for (const path of ['/t.json', '/n.json']) {
      expect(failure(() => load({ FLOWBRIDGE_CONFIG: path }, { readFile })).message).toContain('key "port" (FLOWBRIDGE_PORT): must be a number');
    }
    expect(load({ FLOWBRIDGE_CONFIG: '/ok.json' }, { readFile }).port).toBe(8443);
  });

  it('reports a bad command-line override as such', () => {
    const error = failure(() => load({}, { argvOverrides: { logLevel: 'chatty' } }));
    expect(error.message).toContain('command-line option for logLevel (FLOWBRIDGE_LOG_LEVEL)');
  });

  it('warns about unknown FLOWBRIDGE_* variables with a suggestion, without failing', () => {
    const warnings: string[] = [];
    // FLOWBRIDGE_FROM_SOURCES is the launcher's (bin/flowbridge.js), not a setting, and is no typo either.
    const config = load({ FLOWBRIDGE_PROT: '1', FLOWBRIDGE_PORT: '81', OTHER: 'x', FLOWBRIDGE_FROM_SOURCES: '1' }, { onWarning: (m) => warnings.push(m) });
    expect(config.port).toBe(81);
    expect(warnings).toEqual(['FLOWBRIDGE_PROT is not a Flowbridge setting and is ignored (did you mean FLOWBRIDGE_PORT?).']);
  });
});

describe('loaded config output', () => {
  it('never prints a secret through JSON, inspect or template strings', () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9]{16,32}$/);
    fc.assert(
      fc.property(secret, secret, secret, (app, token, pass) => {
        const config = load({
          FLOWBRIDGE_APP_SECRET: app,
          FLOWBRIDGE_ACCESS_TOKEN: token,
          FLOWBRIDGE_KEY_PASSPHRASE: pass,
          FLOWBRIDGE_VERIFY_TOKEN: token,
          FLOWBRIDGE_DATABASE_URL: `postgres://u:${pass}@db/x`,
        });
        // eslint-disable-next-line @typescript-eslint/restrict-template-expressions -- interpolating a Secret is what is tested
        const dumps = [JSON.stringify(config), inspect(config, { depth: 10 }), `${config.accessToken} ${config.appSecret?.join(',')}`];
        for (const dump of dumps) for (const value of [app, token, pass]) expect(dump).not.toContain(value);
        expect(config.accessToken?.reveal()).toBe(token);
      }),
      { numRuns: 50 },
    );
  });
});
