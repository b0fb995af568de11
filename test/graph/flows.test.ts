import { describe, it, expect, afterEach } from 'vitest';
import { isGraphError, type GraphError } from '../../src/whatsapp/graph/graph-error.js';
import { FROZEN_FLOW_JSON_VERSIONS } from '../../src/core/flow/version.js';
import { metaFixtures, publicKeyPem, publishedFlow, rejection, simpleFlowJson, startHarness, WABA, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h.close();
});

/** A broken copy of the simple flow: an unknown component type on line N. */
function brokenFlow(): { text: string; line: number } {
  const doc = JSON.parse(simpleFlowJson());
  doc.screens[1].layout.children[0].type = 'TextBodyy';
  const text = JSON.stringify(doc, null, 2);
  const line = text.split('\n').findIndex((l) => l.includes('TextBodyy')) + 1;
  return { text, line };
}

/** Meta examples that break Meta's own documented rules (see src/core/flow/validate/fixtures.test.ts). */
const KNOWN_DEFECTS = ['v2.1_sign_in.json', 'v6.2_navigation_list.json'];

describe('flows over loopback', () => {
  it('creates, updates, uploads and reads a draft flow', async () => {
    h = await startHarness();
    const { id } = await h.graph.createFlow({ name: 'signup', categories: ['SIGN_UP', 'OTHER'], endpointUri: 'https://flows.example.com/endpoint' });
    expect(id).toMatch(/^\d+$/);
    expect(await h.graph.updateFlowMetadata(id, { name: 'signup-2', categories: ['SURVEY'] })).toEqual({ success: true });
    const upload = await h.graph.uploadFlowJson(id, simpleFlowJson());
    expect(upload).toEqual({ success: true, validationErrors: [] });
    const flow = await h.graph.getFlow(id);
    expect(flow).toMatchObject({ id, name: 'signup-2', categories: ['SURVEY'], status: 'DRAFT', json_version: '7.3', endpoint_uri: 'https://flows.example.com/endpoint' });
    expect(flow.updated_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/);
    expect(flow.health_status?.entities.map((e) => e.entity_type)).toContain('FLOW');
    const assets = await h.graph.listAssets(id);
    expect(assets).toHaveLength(1);
    expect(assets[0]).toMatchObject({ name: 'flow.json', assetType: 'FLOW_JSON' });
    const download = await h.graph.downloadMedia(assets[0]!.downloadUrl);
    expect(new TextDecoder().decode(download.bytes)).toBe(simpleFlowJson());
  });

  it('refuses duplicate names, bad categories and non-https endpoints', async () => {
    h = await startHarness();
    await h.graph.createFlow({ name: 'a', categories: ['OTHER'] });
    const dup = (await rejection(h.graph.createFlow({ name: 'a', categories: ['OTHER'] }))) as GraphError;
    expect([dup.graphCode, dup.httpStatus, dup.retryable]).toEqual([100, 400, false]);
    expect(dup.graphDetails).toMatch(/not unique/);
    expect(isGraphError(await rejection(h.graph.createFlow({ name: 'b', categories: ['NOPE' as 'OTHER'] })), 100)).toBe(true);
    expect(isGraphError(await rejection(h.graph.createFlow({ name: 'c', categories: ['OTHER'], endpointUri: 'http://example.com/x' })), 100)).toBe(true);
    expect(isGraphError(await rejection(h.graph.createFlow({ name: 'd', categories: ['OTHER'], cloneFlowId: '42' })), 100)).toBe(true);
  });

  it('returns validation errors of a broken flow.json with lines and pointers', async () => {
    h = await startHarness();
    const { id } = await h.graph.createFlow({ name: 'broken', categories: ['OTHER'] });
    const { text, line } = brokenFlow();
    const upload = await h.graph.uploadFlowJson(id, text);
    expect(upload.success).toBe(true);
    expect(upload.validationErrors.length).toBeGreaterThan(0);
    const e = upload.validationErrors.find((v) => v.line_start === line);
    expect(e).toBeDefined();
    expect(e!.error_type).toBe('FLOW_JSON_ERROR');
    expect(e!.jsonPointers[0]).toBe('/screens/1/layout/children/0/type');
    expect(e!.pointers?.[0]?.path).toBe('screens[1].layout.children[0].type');
    // the column span covers the bad value on that line of the local file
    const lineText = text.split('\n')[line - 1]!;
    expect(lineText.slice(e!.column_start! - 1, e!.column_end! - 1)).toContain('TextBodyy');
    const read = await h.graph.getFlow(id, ['validation_errors', 'status']);
    expect(read.validationErrors).toEqual(upload.validationErrors);
    const publish = (await rejection(h.graph.publishFlow(id))) as GraphError;
    expect(publish.graphCode).toBe(139002);
  });

  it('reports unparsable JSON at the place parsing stopped', async () => {
    h = await startHarness();
    const { id } = await h.graph.createFlow({ name: 'bad-json', categories: ['OTHER'] });
    const { validationErrors } = await h.graph.uploadFlowJson(id, '{\n  "version": "7.3",\n  "screens": [\n}');
    expect(validationErrors).toHaveLength(1);
    expect(validationErrors[0]).toMatchObject({ error: 'INVALID_FLOW_JSON', line_start: 4 });
  });

  it('publishes, then refuses uploads and edits (139001), deprecates, and refuses deleting', async () => {
    h = await startHarness();
    const id = await publishedFlow(h, 'live');
    expect((await h.graph.getFlow(id, ['status'])).status).toBe('PUBLISHED');
    const upload = (await rejection(h.graph.uploadFlowJson(id, simpleFlowJson()))) as GraphError;
    expect([upload.graphCode, upload.kind, upload.retryable]).toEqual([139001, 'flow-management', false]);
    expect(isGraphError(await rejection(h.graph.updateFlowMetadata(id, { name: 'other' })), 139001)).toBe(true);
    expect(isGraphError(await rejection(h.graph.publishFlow(id)), 139002)).toBe(true);
    expect(isGraphError(await rejection(h.graph.deleteFlow(id)), 139004)).toBe(true);
    expect(await h.graph.deprecateFlow(id)).toEqual({ success: true });
    expect((await h.graph.getFlow(id, ['status'])).status).toBe('DEPRECATED');
    expect(isGraphError(await rejection(h.graph.deprecateFlow(id)), 139003)).toBe(true);
    expect(isGraphError(await rejection(h.graph.uploadFlowJson(id, simpleFlowJson())), 139001)).toBe(true);
  });

  it('with new-draft edits, an edited published flow goes back to DRAFT and keeps its published JSON', async () => {
    h = await startHarness({ publishedEdits: 'new-draft' });
    const id = await publishedFlow(h, 'editable');
    await h.graph.uploadFlowJson(id, simpleFlowJson('7.2'));
    const flow = await h.graph.getFlow(id, ['status', 'json_version']);
    expect(flow).toMatchObject({ status: 'DRAFT', json_version: '7.2' });
    expect(h.emulator.state.flows.get(id)!.publishedJson).toBe(simpleFlowJson());
    expect(isGraphError(await rejection(h.graph.deleteFlow(id)), 139004)).toBe(true);
  });

  it('deletes a draft; the id is then unknown (100)', async () => {
    h = await startHarness();
    const { id } = await h.graph.createFlow({ name: 'tmp', categories: ['OTHER'] });
    expect(await h.graph.deleteFlow(id)).toEqual({ success: true });
    const gone = (await rejection(h.graph.getFlow(id))) as GraphError;
    expect([gone.graphCode, gone.subcode]).toEqual([100, 33]);
  });

  it('needs a signed key and an endpoint_uri to publish an endpoint flow', async () => {
    h = await startHarness();
    const fixture = metaFixtures().find((f) => f.file === 'v6.2_navigation_list_dynamic.json')!;
    const { id } = await h.graph.createFlow({ name: 'dyn', categories: ['OTHER'] });
    expect((await h.graph.uploadFlowJson(id, fixture.text)).validationErrors).toEqual([]);
    expect((await rejection(h.graph.publishFlow(id)) as GraphError).graphDetails).toMatch(/endpoint_uri/);
    await h.graph.updateFlowMetadata(id, { endpointUri: 'https://flows.example.com/e' });
    expect((await rejection(h.graph.publishFlow(id)) as GraphError).graphDetails).toMatch(/Public Key/);
    await h.graph.uploadBusinessPublicKey(publicKeyPem());
    h.emulator.invalidateKeySignature();
    expect((await rejection(h.graph.publishFlow(id)) as GraphError).graphDetails).toMatch(/MISMATCH/);
    await h.graph.uploadBusinessPublicKey(publicKeyPem());
    expect(await h.graph.publishFlow(id)).toEqual({ success: true });
  });

  it('accepts every Meta example without validation errors; frozen versions cannot be published', async () => {
    h = await startHarness();
    await h.graph.uploadBusinessPublicKey(publicKeyPem());
    for (const [i, { file, text }] of metaFixtures().entries()) {
      const { id, validationErrors } = await h.graph.createFlow({ name: `fixture-${i}`, categories: ['OTHER'], endpointUri: 'https://flows.example.com/e', flowJson: text });
      if (KNOWN_DEFECTS.includes(file)) {
        expect(validationErrors!.length, file).toBeGreaterThan(0);
        expect(isGraphError(await rejection(h.graph.publishFlow(id)), 139002), file).toBe(true);
        continue;
      }
      expect(validationErrors, file).toEqual([]);
      const version = file.slice(1, file.indexOf('_'));
      if (FROZEN_FLOW_JSON_VERSIONS.includes(version)) {
        expect((await rejection(h.graph.publishFlow(id)) as GraphError).graphDetails, file).toMatch(/frozen/);
      } else {
        expect(await h.graph.publishFlow(id), file).toEqual({ success: true });
      }
    }
  });

  it('creates and publishes in one call when flow_json is valid', async () => {
    h = await startHarness();
    const created = await h.graph.createFlow({ name: 'one-shot', categories: ['OTHER'], flowJson: simpleFlowJson(), publish: true });
    expect(created.success).toBe(true);
    expect((await h.graph.getFlow(created.id, ['status'])).status).toBe('PUBLISHED');
    const broken = await h.graph.createFlow({ name: 'one-shot-broken', categories: ['OTHER'], flowJson: brokenFlow().text, publish: true });
    expect(broken.success).toBe(false);
    expect(broken.validationErrors?.length).toBeGreaterThan(0);
    expect((await h.graph.getFlow(broken.id, ['status'])).status).toBe('DRAFT');
  });

  it('clones a flow with its JSON', async () => {
    h = await startHarness();
    const source = await publishedFlow(h, 'source');
    const { id } = await h.graph.createFlow({ name: 'clone', categories: ['OTHER'], cloneFlowId: source });
    expect((await h.graph.getFlow(id, ['status', 'json_version'])).json_version).toBe('7.3');
  });

  it('lists flows page by page', async () => {
    h = await startHarness();
    for (let i = 0; i < 5; i++) await h.graph.createFlow({ name: `f${i}`, categories: ['OTHER'] });
    const first = await h.graph.listFlows({ limit: 2 });
    expect(first.data.map((f) => f.name)).toEqual(['f0', 'f1']);
    const second = await h.graph.listFlows({ limit: 2, after: first.after! });
    expect(second.data.map((f) => f.name)).toEqual(['f2', 'f3']);
    const last = await h.graph.listFlows({ limit: 2, after: second.after! });
    expect(last.data.map((f) => f.name)).toEqual(['f4']);
    expect(last.after).toBeUndefined();
  });

  it('gives a preview URL that only changes when invalidated', async () => {
    h = await startHarness();
    const { id } = await h.graph.createFlow({ name: 'p', categories: ['OTHER'] });
    const a = await h.graph.getPreview(id);
    const b = await h.graph.getPreview(id);
    const c = await h.graph.getPreview(id, true);
    expect(a.previewUrl).toBe(b.previewUrl);
    expect(c.previewUrl).not.toBe(a.previewUrl);
    expect(a.expiresAt).toMatch(/\+0000$/);
    expect((await fetch(c.previewUrl)).status).toBe(200);
  });

  it('answers metrics with 139006 and unknown fields with 100', async () => {
    h = await startHarness();
    const { id } = await h.graph.createFlow({ name: 'm', categories: ['OTHER'] });
    expect(isGraphError(await rejection(h.graph.getFlow(id, ['metric.name(ENDPOINT_REQUEST_COUNT).granularity(DAY)'])), 139006)).toBe(true);
    expect(isGraphError(await rejection(h.graph.getFlow(id, ['bogus'])), 100)).toBe(true);
  });

  it('migrates flows between WABAs of the business', async () => {
    const other = '999000111222333';
    h = await startHarness({ otherWabaIds: [other] });
    const live = await publishedFlow(h, 'live');
    await h.graph.createFlow({ name: 'draft', categories: ['OTHER'] });
    const result = await h.graph.migrateFlows({ sourceWabaId: WABA, destinationWabaId: other, sourceFlowNames: ['live', 'draft', 'missing'] });
    expect(result.migrated.map((m) => m.sourceName).sort()).toEqual(['draft', 'live']);
    expect(result.failed).toEqual([{ sourceName: 'missing', errorCode: '4233041', errorMessage: expect.any(String) }]);
    const copy = result.migrated.find((m) => m.sourceId === live)!;
    expect((await h.graph.getFlow(copy.migratedId, ['status'])).status).toBe('PUBLISHED');
    const again = await h.graph.migrateFlows({ sourceWabaId: WABA, destinationWabaId: other, sourceFlowNames: ['live'] });
    expect(again.failed[0]?.errorCode).toBe('4233041');
  });
});

describe('flow status events (source of FLOW_STATUS_CHANGE webhooks)', () => {
  it('reports creation, publish, system throttling and deprecation in order', async () => {
    h = await startHarness();
    const events: Array<[string | undefined, string]> = [];
    h.emulator.onFlowStatus((e) => events.push([e.oldStatus, e.newStatus]));
    const id = await publishedFlow(h, 'watched');
    h.emulator.setFlowStatus(id, 'THROTTLED');
    h.emulator.setFlowStatus(id, 'PUBLISHED');
    await h.graph.deprecateFlow(id);
    expect(events).toEqual([[undefined, 'DRAFT'], ['DRAFT', 'PUBLISHED'], ['PUBLISHED', 'THROTTLED'], ['THROTTLED', 'PUBLISHED'], ['PUBLISHED', 'DEPRECATED']]);
  });
});
