import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { signBody } from '../../src/whatsapp/hub-signature.js';
import { openHarness, OLD_SECRET, VERIFY_TOKEN, type Harness } from './webhook-harness.js';
import { envelope, inbound, messagesBody } from './payloads.js';

const verifyUrl = (query: Record<string, string>) => `/webhooks/whatsapp?${new URLSearchParams(query).toString()}`;

async function rows(h: Harness) {
  return h.db.store.db.selectFrom('webhook_events').select(['dedupe_key', 'kind', 'raw_body', 'processed_at', 'signature_ok']).orderBy('received_at').execute();
}

describe('GET /webhooks/whatsapp (verification handshake)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness('sqlite');
  });
  afterAll(async () => {
    await h.close();
  });

  it('echoes hub.challenge as text/plain when the token matches', async () => {
    const res = await h.app.inject({ method: 'GET', url: verifyUrl({ 'hub.mode': 'subscribe', 'hub.challenge': '1158201444', 'hub.verify_token': VERIFY_TOKEN }) });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('1158201444');
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
  });

  it.each([
    ['a wrong token', { 'hub.mode': 'subscribe', 'hub.challenge': '1', 'hub.verify_token': `${VERIFY_TOKEN}x` }],
    ['a token prefix', { 'hub.mode': 'subscribe', 'hub.challenge': '1', 'hub.verify_token': VERIFY_TOKEN.slice(0, 5) }],
    ['no token', { 'hub.mode': 'subscribe', 'hub.challenge': '1' }],
    ['another mode', { 'hub.mode': 'unsubscribe', 'hub.challenge': '1', 'hub.verify_token': VERIFY_TOKEN }],
    ['no challenge', { 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN }],
  ])('refuses %s with 403 and no challenge echoed', async (_name, query) => {
    const res = await h.app.inject({ method: 'GET', url: verifyUrl(query) });
    expect(res.statusCode).toBe(403);
    expect(res.body).toBe('');
  });

  it('refuses every handshake with a clear log line when no verify token is configured', async () => {
    const bare = await openHarness('sqlite', { verifyToken: undefined });
    try {
      const res = await bare.app.inject({ method: 'GET', url: verifyUrl({ 'hub.mode': 'subscribe', 'hub.challenge': '7', 'hub.verify_token': '' }) });
      expect(res.statusCode).toBe(403);
      expect(bare.httpLog.join('')).toContain('FLOWBRIDGE_VERIFY_TOKEN is not set');
    } finally {
      await bare.close();
    }
  });
});

describe('POST /webhooks/whatsapp (signature and intake)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness('sqlite');
  });
  afterAll(async () => {
    await h.close();
  });

  it('accepts a body signed with the current secret and with the previous one (rotation)', async () => {
    const a = messagesBody(inbound('wamid.SIG1', 'text', { text: { body: 'a' } }));
    const b = messagesBody(inbound('wamid.SIG2', 'text', { text: { body: 'b' } }));
    expect((await h.post(a)).statusCode).toBe(200);
    expect((await h.post(b, { secret: OLD_SECRET })).statusCode).toBe(200);
    const keys = (await rows(h)).map((r) => r.dedupe_key);
    expect(keys).toEqual(expect.arrayContaining(['message:wamid.SIG1', 'message:wamid.SIG2']));
  });

  it.each([
    ['a missing signature', { signature: null }],
    ['another secret', { secret: 'not-the-app-secret' }],
    ['a malformed header', { signature: 'sha1=abcdef' }],
    ['a signature of another body', { signature: signBody('{}', OLD_SECRET) }],
  ])('answers 401 to %s and stores nothing', async (_name, options) => {
    const before = (await rows(h)).length;
    const res = await h.post(messagesBody(inbound('wamid.BAD', 'text', { text: { body: 'x' } })), options);
    expect(res.statusCode).toBe(401);
    expect((await rows(h)).length).toBe(before);
  });

  it('checks the signature over the raw bytes: re-serialised JSON does not verify', async () => {
    const raw = `{ "object" : "whatsapp_business_account",  "entry": [] }`;
    const res = await h.post(raw, { signature: signBody(JSON.stringify(JSON.parse(raw)), OLD_SECRET) });
    expect(res.statusCode).toBe(401);
  });

  it('refuses every POST when no app secret is configured', async () => {
    const bare = await openHarness('sqlite', { appSecrets: [] });
    try {
      const res = await bare.post(messagesBody(inbound('wamid.NS', 'text', { text: { body: 'x' } })), { secret: '' });
      expect(res.statusCode).toBe(401);
      expect(bare.httpLog.join('')).toContain('FLOWBRIDGE_APP_SECRET is not set');
      expect(await rows(bare)).toEqual([]);
    } finally {
      await bare.close();
    }
  });

  it('answers 400 to signed text that is not JSON or not UTF-8, storing nothing', async () => {
    const before = (await rows(h)).length;
    expect((await h.post('{"object": "whatsapp_business_account", ')).statusCode).toBe(400);
    expect((await h.post(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))).statusCode).toBe(400);
    expect((await rows(h)).length).toBe(before);
  });

  it('stores an unknown shape, answers 200 and records it as unknown', async () => {
    const body = JSON.stringify(envelope('account_update', { phone_number: '15550001111', event: 'VERIFIED_ACCOUNT' }));
    expect((await h.post(body)).statusCode).toBe(200);
    await h.intake.drain();
    const row = (await rows(h)).find((r) => r.raw_body === body);
    expect(row?.kind).toBe('unknown');
    expect(row?.signature_ok).toBe(1);
    expect(row?.processed_at).not.toBeNull();
    expect(h.intakeLog.lines.some((l) => l.msg === 'unknown webhook event stored' && (l.obj as { reason?: string }).reason === 'field account_update')).toBe(true);
  });

  it('accepts any content type once the signature matches (Meta sends application/json)', async () => {
    const res = await h.post(messagesBody(inbound('wamid.CT', 'text', { text: { body: 'x' } })), { contentType: 'text/plain' });
    expect(res.statusCode).toBe(200);
  });

  it('answers a duplicate delivery 200 without storing it again', async () => {
    const body = messagesBody(inbound('wamid.DUP', 'text', { text: { body: 'x' } }));
    expect((await h.post(body)).statusCode).toBe(200);
    expect((await h.post(body)).statusCode).toBe(200);
    expect((await rows(h)).filter((r) => r.dedupe_key === 'message:wamid.DUP')).toHaveLength(1);
  });

  it('answers 503, so that Meta redelivers, when the event cannot be stored', async () => {
    const broken = await openHarness('sqlite', {
      wrap: (deps) => ({ ...deps, events: { ...deps.events, storeEvent: () => Promise.reject(new Error('disk full')) } }),
    });
    try {
      const res = await broken.post(messagesBody(inbound('wamid.DB', 'text', { text: { body: 'x' } })));
      expect(res.statusCode).toBe(503);
      expect(res.body).toBe('');
    } finally {
      await broken.close();
    }
  });
});
