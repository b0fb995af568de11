import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createWebhookIntake } from '../../src/services/webhook-intake.js';
import { openHarness, type Harness } from './webhook-harness.js';
import { endpointLatency, flowsBody, inbound, messagesBody, nfmReply, status, statusesBody, USER_WA_ID } from './payloads.js';

async function eventRows(h: Harness) {
  return h.db.store.db.selectFrom('webhook_events').select(['id', 'dedupe_key', 'kind', 'processed_at']).execute();
}

async function submissionCount(h: Harness, flowToken: string): Promise<number> {
  const rows = await h.db.store.db.selectFrom('submissions').select('id').where('flow_token', '=', flowToken).execute();
  return rows.length;
}

describe.each(['sqlite', 'postgres'] as const)('nfm_reply completion exactly once on %s', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness(dialect);
  });
  afterAll(async () => {
    await h.close();
  });

  it('completes the session and stores one submission when the same nfm_reply arrives 5 times concurrently', async () => {
    const session = await h.sessions.issue({ flowId: '691244242662581', contactPhone: USER_WA_ID });
    const response = { flow_token: session.flowToken, rating: '5' };
    const body = messagesBody(nfmReply('wamid.CONC1', response));
    const answers = await Promise.all(Array.from({ length: 5 }, () => h.post(body)));
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200, 200]);
    await h.intake.drain();
    expect(await submissionCount(h, session.flowToken)).toBe(1);
    expect((await h.sessionRepo.getSubmission(session.flowToken))?.responseJson).toBe(JSON.stringify(response));
    expect((await h.sessionRepo.getSession(session.flowToken))?.status).toBe('completed');
    expect((await eventRows(h)).filter((r) => r.dedupe_key === 'message:wamid.CONC1')).toHaveLength(1);
  });

  // SQLite is single-instance (one handle per file, see create-database.ts): two instances need PostgreSQL.
  it.skipIf(dialect === 'sqlite')('stores one submission when a second instance on the same database receives the same completion, batched differently', async () => {
    const session = await h.sessions.issue({ flowId: 'f2', contactPhone: USER_WA_ID });
    const reply = nfmReply('wamid.CONC2', { flow_token: session.flowToken, answer: 'yes' });
    const other = await openHarness(dialect, { database: h.db, reopen: true });
    try {
      const alone = messagesBody(reply);
      const batched = messagesBody(inbound('wamid.OTHER', 'text', { text: { body: 'hi' } }), reply);
      const answers = await Promise.all([
        ...Array.from({ length: 3 }, () => h.post(alone)),
        ...Array.from({ length: 3 }, () => other.post(batched)),
      ]);
      expect(answers.every((a) => a.statusCode === 200)).toBe(true);
      await Promise.all([h.intake.drain(), other.intake.drain()]);
      expect(await submissionCount(h, session.flowToken)).toBe(1);
    } finally {
      await other.close();
    }
  });

  it('never yields a second submission when processing the event again (retry after a crash)', async () => {
    const session = await h.sessions.issue({ flowId: 'f3', contactPhone: USER_WA_ID });
    const body = messagesBody(nfmReply('wamid.AGAIN', { flow_token: session.flowToken }));
    expect((await h.post(body)).statusCode).toBe(200);
    await h.intake.drain();
    const row = (await eventRows(h)).find((r) => r.dedupe_key === 'message:wamid.AGAIN');
    // Simulate a crash after acting but before marking: the event is unprocessed again.
    await h.db.store.db.updateTable('webhook_events').set({ processed_at: null }).where('id', '=', row!.id).execute();
    const report = await h.intake.processPending();
    expect(report.failed).toBe(0);
    expect(await submissionCount(h, session.flowToken)).toBe(1);
  });
});

describe('processing of messages, statuses and flows events (sqlite)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness('sqlite');
  });
  afterAll(async () => {
    await h.close();
  });

  it('keeps the media ids of a completion for later download', async () => {
    const session = await h.sessions.issue({ flowId: 'f', contactPhone: USER_WA_ID });
    const photo = { file_name: 'IMG_5237.jpg', mime_type: 'image/jpeg', sha256: 'aGFzaA==', id: '3631120727156756' };
    await h.post(messagesBody(nfmReply('wamid.MEDIA', { flow_token: session.flowToken, photo_picker: [photo] })));
    await h.intake.drain();
    expect(await h.media.listForSession(session.flowToken)).toEqual([
      expect.objectContaining({ mediaId: photo.id, field: 'photo_picker', fileName: photo.file_name, mimeType: photo.mime_type, sha256: photo.sha256, messageId: 'wamid.MEDIA', downloadedAt: null }),
    ]);
  });

  it('does not create a submission for an unknown or missing flow_token, but closes the event', async () => {
    await h.post(messagesBody(nfmReply('wamid.UNK', { flow_token: 'never-issued' }), nfmReply('wamid.NOTOK', { answer: 'x' })));
    await h.intake.drain();
    const rows = (await eventRows(h)).filter((r) => ['message:wamid.UNK', 'message:wamid.NOTOK'].includes(r.dedupe_key));
    expect(rows.map((r) => r.processed_at !== null)).toEqual([true, true]);
    expect(await submissionCount(h, 'never-issued')).toBe(0);
    const outcomes = h.intakeLog.lines.filter((l) => l.msg === 'webhook event processed').map((l) => (l.obj as { outcome: string }).outcome);
    expect(outcomes).toEqual(expect.arrayContaining(['unknown_token', 'no_flow_token']));
  });

  it('stores sent, delivered, read and failed statuses once each, with the error code', async () => {
    const failed = status('wamid.OUT', 'failed', { errors: [{ code: 131047, title: 'Re-engagement message', error_data: { details: '24 hours passed' } }] });
    const body = statusesBody(status('wamid.OUT', 'sent'), status('wamid.OUT', 'delivered'), status('wamid.OUT', 'read'), failed);
    await h.post(body);
    await h.post(statusesBody(status('wamid.OUT', 'read')));
    await h.intake.drain();
    const stored = await h.statuses.listStatuses('wamid.OUT');
    expect(stored.map((s) => s.status).sort()).toEqual(['delivered', 'failed', 'read', 'sent']);
    const fail = stored.find((s) => s.status === 'failed');
    expect(fail?.errorCode).toBe(131047);
    expect(JSON.parse(fail?.errorsJson ?? 'null')).toEqual([{ code: 131047, title: 'Re-engagement message', details: '24 hours passed' }]);
    expect(JSON.parse(stored.find((s) => s.status === 'sent')?.pricingJson ?? 'null')).toMatchObject({ category: 'service' });
  });

  it('stores a flows ENDPOINT_LATENCY event as one alert', async () => {
    await h.post(flowsBody(endpointLatency));
    await h.post(flowsBody(endpointLatency));
    await h.intake.drain();
    const alerts = await h.alerts.listAlerts({ flowId: '691244242662581' });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ event: 'ENDPOINT_LATENCY', alertState: 'ACTIVATED', occurredAt: new Date(1684969340 * 1000), acknowledgedAt: null });
    expect(JSON.parse(alerts[0]!.payloadJson)).toEqual(endpointLatency);
    expect(await h.alerts.acknowledge(alerts[0]!.id)).toBe(true);
    expect(await h.alerts.listAlerts({ unacknowledged: true, flowId: '691244242662581' })).toEqual([]);
  });
});

describe('durability', () => {
  it('stores the event before answering 200, and processes it only afterwards', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const h = await openHarness('sqlite', {
      wrap: (deps) => ({ ...deps, statuses: { recordStatus: async (s) => { await gate; return deps.statuses.recordStatus(s); } } }),
    });
    try {
      const res = await h.post(statusesBody(status('wamid.GATE', 'delivered')));
      expect(res.statusCode).toBe(200);
      const [row] = await eventRows(h);
      expect(row).toMatchObject({ dedupe_key: 'status:wamid.GATE:delivered', kind: 'status:delivered', processed_at: null });
      release();
      await h.intake.drain();
      expect((await eventRows(h))[0]?.processed_at).not.toBeNull();
      expect(await h.statuses.listStatuses('wamid.GATE')).toHaveLength(1);
    } finally {
      release();
      await h.close();
    }
  });

  it('keeps an event whose processing throws, and processes it later with processPending()', async () => {
    let failing = true;
    const h = await openHarness('sqlite', {
      wrap: (deps) => ({
        ...deps,
        sessions: { complete: (token, json) => (failing ? Promise.reject(new Error('database busy')) : deps.sessions.complete(token, json)) },
      }),
    });
    try {
      const session = await h.sessions.issue({ flowId: 'f', contactPhone: USER_WA_ID });
      expect((await h.post(messagesBody(nfmReply('wamid.RETRY', { flow_token: session.flowToken })))).statusCode).toBe(200);
      await h.intake.drain();
      expect(await submissionCount(h, session.flowToken)).toBe(0);
      expect((await h.events.listUnprocessed(10)).map((e) => e.dedupeKey)).toEqual(['message:wamid.RETRY']);
      expect(h.intakeLog.lines.some((l) => l.level === 'error' && l.msg.includes('kept for retry'))).toBe(true);

      expect(await h.intake.processPending()).toEqual({ processed: 0, failed: 1 });
      failing = false;
      expect(await h.intake.processPending()).toEqual({ processed: 1, failed: 0 });
      expect(await submissionCount(h, session.flowToken)).toBe(1);
      expect(await h.events.listUnprocessed(10)).toEqual([]);
    } finally {
      await h.close();
    }
  });

  it('lets a fresh intake (the next start) finish events a previous process left unprocessed', async () => {
    const h = await openHarness('sqlite', {
      wrap: (deps) => ({ ...deps, alerts: { recordAlert: () => Promise.reject(new Error('crash')) } }),
    });
    try {
      await h.post(flowsBody({ ...endpointLatency, flow_id: '42' }));
      await h.intake.drain();
      const restarted = createWebhookIntake({ events: h.events, sessions: h.sessions, statuses: h.statuses, alerts: h.alerts, media: h.media });
      expect(await restarted.processPending()).toEqual({ processed: 1, failed: 0 });
      expect(await h.alerts.listAlerts({ flowId: '42' })).toHaveLength(1);
    } finally {
      await h.close();
    }
  });
});
