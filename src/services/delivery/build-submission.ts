/**
 * Assemble the {@link Submission} a sink receives from the stored
 * submission, the catalogue and the media store. Returns a reason instead
 * when the job cannot run now (`retry`: files not downloaded yet) or ever in
 * this configuration (`permanent`: the flow or sink was removed).
 * @module
 */
import type { DeliveryOutcome, Submission, SubmissionFile } from '../../sinks/sink-connector.js';
import type { SourceValue } from '../../core/compile/map-answers-to-source.js';
import type { DeliveryJob, DeliveryRepo } from '../../store/repos/delivery-repo.js';
import type { FlowMediaRepo } from '../../store/repos/flow-media-repo.js';
import type { ConfiguredSink, FlowCatalogue } from '../flow-catalogue.js';
import type { MediaStore } from '../media-store.js';
import { answersOf, formOf } from './submission-answers.js';

/** What building needs. */
export interface SubmissionSources {
  readonly repo: Pick<DeliveryRepo, 'getSubmission'>;
  readonly catalogue: Pick<FlowCatalogue, 'get'>;
  /** Files of completions (flow_media rows of the session); omit when no flow takes files. */
  readonly mediaRepo?: Pick<FlowMediaRepo, 'listForSession'>;
  readonly mediaStore?: Pick<MediaStore, 'get'>;
}

/** Ready to deliver, or the outcome to record without calling the sink. */
export type BuiltSubmission =
  | { readonly ok: true; readonly submission: Submission; readonly sink: ConfiguredSink }
  | { readonly ok: false; readonly outcome: Extract<DeliveryOutcome, { kind: 'retry' | 'permanent' }> };

const MEDIA_WAIT_MS = 30_000;

/** See the module comment. */
export async function buildSubmission(job: DeliveryJob, sources: SubmissionSources): Promise<BuiltSubmission> {
  const record = await sources.repo.getSubmission(job.submissionId);
  if (record === undefined) return { ok: false, outcome: { kind: 'permanent', reason: `Submission ${job.submissionId} no longer exists.` } };
  const flow = sources.catalogue.get(record.flowId);
  if (flow === undefined) {
    return { ok: false, outcome: { kind: 'permanent', reason: `Flow "${record.flowId}" is not in the project file any more; add it back and replay the delivery.` } };
  }
  const sink = flow.sinks.find((s) => s.name === job.sinkName);
  if (sink === undefined) {
    return { ok: false, outcome: { kind: 'permanent', reason: `Flow "${flow.id}" has no sink named "${job.sinkName}" any more; add it back to the project file and replay the delivery.` } };
  }
  const answers = record.answersJson === null ? answersOf(flow, record.responseJson) : (JSON.parse(record.answersJson) as Record<string, SourceValue>);
  const files: SubmissionFile[] = [];
  for (const media of (await sources.mediaRepo?.listForSession(record.flowToken)) ?? []) {
    if (media.downloadedAt === null) {
      return { ok: false, outcome: { kind: 'retry', reason: `Waiting for uploaded file ${media.mediaId} to be downloaded from WhatsApp.`, retryAfterMs: MEDIA_WAIT_MS } };
    }
    const stored = await sources.mediaStore?.get(media.mediaId);
    if (stored === undefined) {
      return { ok: false, outcome: { kind: 'retry', reason: `Uploaded file ${media.mediaId} is marked downloaded but missing from the media store.` } };
    }
    const entry = flow.fieldMap?.fields.find((f) => f.flowName === media.field);
    const bytes = stored.bytes;
    files.push({
      fieldKey: entry?.sourceKey ?? media.field ?? 'file',
      fileName: media.fileName ?? stored.media.fileName ?? media.mediaId,
      mimeType: media.mimeType ?? stored.media.mimeType ?? 'application/octet-stream',
      size: bytes.length,
      read: () => Promise.resolve(bytes),
    });
  }
  const entryPoint = record.entryPoint ?? record.campaign ?? undefined;
  const submission: Submission = {
    id: record.id,
    flowToken: record.flowToken,
    form: formOf(flow),
    answers,
    files,
    contact: { phone: record.contactPhone },
    submittedAt: record.createdAt.toISOString(),
    ...(entryPoint === undefined ? {} : { entryPoint }),
  };
  return { ok: true, submission, sink };
}
