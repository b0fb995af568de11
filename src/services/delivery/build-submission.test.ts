import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadFlow, openPipelineStore, recordingQueue, webhookTo, type PipelineStore } from '../../../test/delivery-pipeline/pipeline-kit.js';
import { createFlowMediaRepo, type FlowMediaRepo } from '../../store/repos/flow-media-repo.js';
import { createFlowCatalogue } from '../flow-catalogue.js';
import { createMediaStore, type MediaStore } from '../media-store.js';
import { buildSubmission } from './build-submission.js';

describe('building the submission a sink receives', () => {
  let store: PipelineStore;
  let media: FlowMediaRepo;
  let files: MediaStore;
  let dir: string;
  beforeAll(async () => {
    store = await openPipelineStore('sqlite', [leadFlow([webhookTo('http://127.0.0.1:9', 'hook')])]);
    media = createFlowMediaRepo(store.test.store.db);
    dir = mkdtempSync(join(tmpdir(), 'fb-media-'));
    files = createMediaStore(dir);
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function oneJob() {
    const id = await store.complete(store.outboxFor(recordingQueue()));
    const [job] = await store.repo.listJobs({ submissionId: id! });
    const record = await store.repo.getSubmission(id!);
    return { job: job!, flowToken: record!.flowToken };
  }

  it('carries the frozen answers, contact, entry point and the session\'s downloaded files', async () => {
    const { job, flowToken } = await oneJob();
    await media.addMedia({ mediaId: 'M1', flowToken, field: 'id_document', fileName: 'passport.pdf', mimeType: 'application/pdf' });
    const sources = { repo: store.repo, catalogue: store.catalogue, mediaRepo: media, mediaStore: files };
    const waiting = await buildSubmission(job, sources);
    expect(waiting).toMatchObject({ ok: false, outcome: { kind: 'retry', reason: expect.stringContaining('M1') } });

    await media.markDownloaded('M1');
    expect(await buildSubmission(job, sources)).toMatchObject({ ok: false, outcome: { kind: 'retry', reason: expect.stringContaining('missing from the media store') } });

    await files.put('M1', new Uint8Array([37, 80, 68, 70]), { source: 'cloud-api', flowToken });
    const built = await buildSubmission(job, sources);
    if (!built.ok) throw new Error(built.outcome.reason);
    expect(built.sink.name).toBe('hook');
    expect(built.submission).toMatchObject({ id: job.submissionId, flowToken, contact: { phone: '447700900123' }, entryPoint: 'qr', answers: { email: 'ana@example.com', plan_choice: 'PRO' } });
    expect(built.submission.files.map((f) => [f.fieldKey, f.fileName, f.mimeType, f.size])).toEqual([['id_document', 'passport.pdf', 'application/pdf', 4]]);
    expect([...(await built.submission.files[0]!.read())]).toEqual([37, 80, 68, 70]);
  });

  it('refuses permanently, saying how to fix it, when the flow or the sink left the project file', async () => {
    const { job } = await oneJob();
    const noFlow = await buildSubmission(job, { repo: store.repo, catalogue: createFlowCatalogue([]) });
    expect(noFlow).toMatchObject({ ok: false, outcome: { kind: 'permanent', reason: expect.stringContaining('add it back and replay') } });
    const noSink = await buildSubmission(job, { repo: store.repo, catalogue: createFlowCatalogue([leadFlow([webhookTo('http://127.0.0.1:9', 'other')])]) });
    expect(noSink).toMatchObject({ ok: false, outcome: { kind: 'permanent', reason: expect.stringContaining('no sink named "hook"') } });
  });
});
