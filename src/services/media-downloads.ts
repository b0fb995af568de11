/**
 * `downloadPendingMedia`: the periodic job that fetches the media ids of
 * nfm_reply completions (spec §3.3; `flow_media` rows whose `downloaded_at`
 * is null) through the Graph API, verifies and stores them (see
 * `downloadCompletionMedia` in `media-intake.ts`). Run it every few tens of
 * seconds; passes never overlap. A failing id is retried with exponential
 * backoff (in memory, per process) so it cannot hold up the ids queued
 * behind it; Meta keeps media downloadable for 30 days.
 * @module
 */
import type { FlowMedia, FlowMediaRepo } from '../store/repos/flow-media-repo.js';
import type { GraphClient } from '../whatsapp/graph/index.js';
import type { LogSink } from './client-error-recorder.js';
import { createMediaIntake, type MediaLimits } from './media-intake.js';
import type { MediaStore } from './media-store.js';

/** Options of {@link createPendingMediaDownloader}. */
export interface PendingMediaOptions {
  readonly store: MediaStore;
  readonly graph: Pick<GraphClient, 'getMedia' | 'downloadMedia'>;
  readonly repo: Pick<FlowMediaRepo, 'listPending' | 'markDownloaded'>;
  readonly log?: LogSink;
  readonly limits?: Partial<MediaLimits>;
  /** Ids fetched per pass (default 20). */
  readonly batchSize?: number;
  /** First retry delay of a failing id, ms (default 60 s); doubles up to `maxBackoffMs` (default 1 h). */
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
  readonly now?: () => number;
}

/** What one pass did. */
export interface PendingMediaReport {
  readonly downloaded: number;
  readonly failed: number;
  /** Ids skipped because they are waiting for their retry time. */
  readonly waiting: number;
}

/** The downloader; call `downloadPendingMedia()` periodically. */
export interface PendingMediaDownloader {
  downloadPendingMedia(): Promise<PendingMediaReport>;
}

/** Build the downloader. */
export function createPendingMediaDownloader(options: PendingMediaOptions): PendingMediaDownloader {
  const now = options.now ?? Date.now;
  const batchSize = options.batchSize ?? 20;
  const backoffMs = options.backoffMs ?? 60_000;
  const maxBackoffMs = options.maxBackoffMs ?? 3_600_000;
  const retry = new Map<string, { failures: number; notBefore: number }>();
  let skipped = 0;

  // The intake sees only ids that are due: those waiting for a retry are filtered out of each listing.
  const repo: Pick<FlowMediaRepo, 'listPending' | 'markDownloaded'> = {
    async listPending(limit) {
      const at = now();
      const waitingIds = [...retry].filter(([, r]) => r.notBefore > at).length;
      const rows: FlowMedia[] = await options.repo.listPending(limit + waitingIds);
      const due = rows.filter((row) => (retry.get(row.mediaId)?.notBefore ?? 0) <= at);
      skipped = rows.length - due.length;
      return due.slice(0, limit);
    },
    markDownloaded: (mediaId) => options.repo.markDownloaded(mediaId),
  };
  const intake = createMediaIntake({ store: options.store, graph: options.graph, mediaRepo: repo, ...(options.limits === undefined ? {} : { limits: options.limits }) });
  let running: Promise<PendingMediaReport> | undefined;

  async function pass(): Promise<PendingMediaReport> {
    const result = await intake.downloadCompletionMedia(batchSize);
    for (const file of result.downloaded) retry.delete(file.id);
    for (const { mediaId, reason } of result.failed) {
      const failures = (retry.get(mediaId)?.failures ?? 0) + 1;
      const delay = Math.min(maxBackoffMs, backoffMs * 2 ** Math.min(failures - 1, 30));
      retry.set(mediaId, { failures, notBefore: now() + delay });
      options.log?.warn({ mediaId, reason, failures, retryInMs: delay }, 'completion media download failed; will retry');
    }
    if (result.downloaded.length > 0) options.log?.info({ downloaded: result.downloaded.length }, 'completion media downloaded');
    return { downloaded: result.downloaded.length, failed: result.failed.length, waiting: skipped };
  }

  return {
    downloadPendingMedia() {
      running ??= pass().finally(() => { running = undefined; });
      return running;
    },
  };
}
