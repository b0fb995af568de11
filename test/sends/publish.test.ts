import { afterEach, describe, expect, it } from 'vitest';
import type { GraphEmulatorOptions } from '../../src/emulator/graph-emulator.js';
import { createPublishService, mapValidationErrors, type PublishInput, type PublishOutcome } from '../../src/services/publish.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { openTestDatabase, type TestDatabase } from '../../src/store/open-test-database.js';
import { createPublishedFlowRepo, type PublishedFlowRepo } from '../../src/store/repos/published-flow-repo.js';
import { parseValidationErrors, type GraphClient } from '../../src/whatsapp/graph/index.js';
import { publicKeyPem, simpleFlowJson, startHarness, WABA, type Harness } from '../graph/harness.js';

let h: Harness;
let db: TestDatabase;
let records: PublishedFlowRepo;
let calls: string[];
afterEach(async () => {
  await h.close();
  await db.cleanup();
});

/** The harness client, counting every call. */
function counted(graph: GraphClient): GraphClient {
  return new Proxy(graph, { get: (target, key: string) => (...args: unknown[]) => { calls.push(key); return (target[key as keyof GraphClient] as (...a: unknown[]) => unknown)(...args); } });
}

async function setup(options: Partial<GraphEmulatorOptions> = {}) {
  h = await startHarness(options);
  db = await openTestDatabase('sqlite');
  await migrateToLatest(db.store);
  records = createPublishedFlowRepo(db.store.db);
  calls = [];
  return createPublishService({ graph: counted(h.graph), records });
}

const input = (patch: Partial<PublishInput> = {}): PublishInput => ({ text: simpleFlowJson(), flowId: 'signup', name: 'signup', categories: ['SIGN_UP'], publish: true, wabaId: WABA, ...patch });
const edited = (): string => simpleFlowJson().replace('Thanks', 'Thank you');
function changed(o: PublishOutcome) {
  if (o.status === 'invalid_local' || o.status === 'unchanged') throw new Error(`expected a change, got ${o.status}`);
  return o;
}

describe('publish against the Graph emulator', () => {
  it('creates, uploads and publishes; a re-run with the same content makes no Graph call', async () => {
    const service = await setup();
    const first = changed(await service.publish(input()));
    expect(first.status).toBe('published');
    expect(first.steps).toEqual(['created', 'uploaded', 'published']);
    const flow = h.emulator.state.flows.get(first.record.metaFlowId);
    expect([flow?.status, flow?.name, flow?.json]).toEqual(['PUBLISHED', 'signup', simpleFlowJson()]);
    expect(await records.get('signup')).toMatchObject({ liveMetaFlowId: first.record.metaFlowId, status: 'PUBLISHED' });
    calls.length = 0;
    expect((await service.publish(input())).status).toBe('unchanged');
    expect(calls).toEqual([]);
  });

  it('saves a draft without --publish and publishes it later without uploading again', async () => {
    const service = await setup();
    const draft = changed(await service.publish(input({ publish: false })));
    expect([draft.status, draft.record.status, draft.record.liveMetaFlowId]).toEqual(['saved', 'DRAFT', undefined]);
    calls.length = 0;
    const published = changed(await service.publish(input()));
    expect(published.steps).toEqual(['published']);
    expect(calls).not.toContain('uploadFlowJson');
  });

  it('refuses a locally invalid file with its findings and calls nothing', async () => {
    const service = await setup();
    const text = simpleFlowJson().replace('"TextBody"', '"TextBodyy"');
    const outcome = await service.publish(input({ text }));
    expect(outcome.status).toBe('invalid_local');
    const line = text.split('\n').findIndex((l) => l.includes('TextBodyy')) + 1;
    expect(outcome.status === 'invalid_local' && outcome.findings.some((f) => f.severity === 'error' && f.span?.line_start === line)).toBe(true);
    expect(calls).toEqual([]);
  });

  it('maps Meta\'s validation errors to the local file\'s lines through their paths', () => {
    const text = simpleFlowJson();
    const line = text.split('\n').findIndex((l) => l.includes('"Thanks"')) + 1;
    // Meta's lines refer to its own formatting of the JSON (here: line 1 of a minified copy); the path is what counts.
    const errors = parseValidationErrors([{ error: 'INVALID_PROPERTY_VALUE', error_type: 'FLOW_JSON_ERROR', message: 'bad text', line_start: 1, line_end: 1, column_start: 400, column_end: 408, pointers: [{ path: 'screens[1].layout.children[0].text', line_start: 1, line_end: 1, column_start: 400, column_end: 408 }] },
      { error: 'SOMETHING', error_type: 'FLOW_JSON_ERROR', message: 'no path', line_start: 3, line_end: 3, column_start: 2, column_end: 5 }]);
    const mapped = mapValidationErrors(text, errors);
    expect(mapped[0]).toMatchObject({ code: 'INVALID_PROPERTY_VALUE', pointer: '/screens/1/layout/children/0/text', span: { line_start: line } });
    expect(text.split('\n')[line - 1]!.slice(mapped[0]!.span!.column_start - 1, mapped[0]!.span!.column_end - 1)).toBe('"Thanks"');
    expect(mapped[1]).toMatchObject({ pointer: undefined, span: { line_start: 3, column_start: 2 } });
  });

  it('reports Meta\'s validation errors and keeps no content hash, so the next run uploads again', async () => {
    const service = await setup();
    const graph = h.graph;
    const fake = { ...graph, uploadFlowJson: async (id: string, json: string | object) => {
      await graph.uploadFlowJson(id, json);
      return { success: true, validationErrors: parseValidationErrors([{ error: 'INVALID_PROPERTY_VALUE', error_type: 'FLOW_JSON_ERROR', message: 'Meta is stricter', pointers: [{ path: 'screens[0].title' }] }]) };
    } };
    const strict = createPublishService({ graph: fake, records });
    const outcome = changed(await strict.publish(input()));
    expect(outcome.status).toBe('validation_errors');
    expect(outcome.errors[0]).toMatchObject({ pointer: '/screens/0/title', span: { line_start: simpleFlowJson().split('\n').findIndex((l) => l.includes('"Welcome"')) + 1 } });
    expect(h.emulator.state.flows.get(outcome.record.metaFlowId)?.status).toBe('DRAFT');
    expect((await records.get('signup'))?.contentHash).toBeUndefined();
    expect(changed(await service.publish(input())).steps).toEqual(['uploaded', 'published']);
  });

  it('an edit of a published flow Meta refuses to change becomes a new draft flow; the old one stays live', async () => {
    const service = await setup({ publishedEdits: 'refuse' });
    const first = changed(await service.publish(input()));
    const draft = changed(await service.publish(input({ text: edited(), publish: false })));
    expect(draft.replacedFlowId).toBe(first.record.metaFlowId);
    expect(draft.steps).toEqual(['created', 'new_draft', 'uploaded']);
    expect(draft.record).toMatchObject({ liveMetaFlowId: first.record.metaFlowId, status: 'DRAFT' });
    expect(h.emulator.state.flows.get(first.record.metaFlowId)?.status).toBe('PUBLISHED');
    const republished = changed(await service.publish(input({ text: edited() })));
    expect(republished.record).toMatchObject({ metaFlowId: draft.record.metaFlowId, liveMetaFlowId: draft.record.metaFlowId, status: 'PUBLISHED' });
  });

  it('an edit of a newer published flow puts it back to DRAFT while the published version stays sendable', async () => {
    const service = await setup({ publishedEdits: 'new-draft' });
    const first = changed(await service.publish(input()));
    const draft = changed(await service.publish(input({ text: edited(), publish: false })));
    expect(draft.record).toMatchObject({ metaFlowId: first.record.metaFlowId, liveMetaFlowId: first.record.metaFlowId, status: 'DRAFT' });
    const flow = h.emulator.state.flows.get(first.record.metaFlowId);
    expect([flow?.status, flow?.publishedJson, flow?.json]).toEqual(['DRAFT', simpleFlowJson(), edited()]);
  });

  it('reuses a flow of the same name found at Meta and updates its metadata', async () => {
    const service = await setup();
    const { id } = await h.graph.createFlow({ name: 'signup', categories: ['OTHER'] });
    const outcome = changed(await service.publish(input({ publish: false })));
    expect(outcome.record.metaFlowId).toBe(id);
    expect(outcome.steps).toEqual(['metadata_updated', 'uploaded']);
    expect(h.emulator.state.flows.get(id)?.categories).toEqual(['SIGN_UP']);
  });

  it('a refused publish (endpoint flow without a signed key) is reported with Meta\'s reason', async () => {
    const service = await setup();
    const doc = JSON.parse(simpleFlowJson());
    doc.data_api_version = '3.0';
    doc.routing_model = { WELCOME: ['DONE'], DONE: [] };
    const outcome = changed(await service.publish(input({ text: JSON.stringify(doc, null, 2), endpointUri: 'https://flows.example.com/endpoint' })));
    expect(outcome.status).toBe('publish_refused');
    expect(outcome.message).toMatch(/public key/i);
    await h.graph.uploadBusinessPublicKey(publicKeyPem());
    expect(changed(await service.publish(input({ text: JSON.stringify(doc, null, 2), endpointUri: 'https://flows.example.com/endpoint' }))).status).toBe('published');
  });
});
