/**
 * Media ids of flow completions waiting to be downloaded. A PhotoPicker or
 * DocumentPicker answer in a `complete` payload arrives in the nfm_reply as
 * a Cloud API media id (spec §3.3), fetched later through `GET /{media-id}`;
 * the ids are kept here so a downloader can work through them, and a
 * redelivered webhook adds nothing.
 * @module
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../database.js';
import { dbText } from './db-text.js';

/** The `flow_media` table (migration 0002). */
export interface FlowMediaTable {
  /** Cloud API media id. */
  media_id: string;
  flow_token: string | null;
  /** wamid of the nfm_reply that carried it. */
  message_id: string | null;
  /** The answer's key in `response_json`, e.g. `photo_picker`. */
  field: string | null;
  file_name: string | null;
  mime_type: string | null;
  /** Base64 SHA-256 reported by Meta, to check the download against. */
  sha256: string | null;
  received_at: string;
  downloaded_at: string | null;
}

/** A media id to keep. */
export interface NewFlowMedia {
  readonly mediaId: string;
  readonly flowToken?: string | undefined;
  readonly messageId?: string | undefined;
  readonly field?: string | undefined;
  readonly fileName?: string | undefined;
  readonly mimeType?: string | undefined;
  readonly sha256?: string | undefined;
}

/** A kept media id. */
export interface FlowMedia {
  readonly mediaId: string;
  readonly flowToken: string | null;
  readonly messageId: string | null;
  readonly field: string | null;
  readonly fileName: string | null;
  readonly mimeType: string | null;
  readonly sha256: string | null;
  readonly receivedAt: Date;
  readonly downloadedAt: Date | null;
}

/** Media id persistence; see {@link createFlowMediaRepo}. */
export interface FlowMediaRepo {
  /** True when new, false when already kept. */
  addMedia(media: NewFlowMedia): Promise<boolean>;
  /** Not yet downloaded, oldest first. */
  listPending(limit: number): Promise<FlowMedia[]>;
  /** Every media id of a session. */
  listForSession(flowToken: string): Promise<FlowMedia[]>;
  /** True when this call marked it. */
  markDownloaded(mediaId: string): Promise<boolean>;
}

type Tables = Database & { flow_media: FlowMediaTable };

const optional = (value: string | undefined): string | null => (value === undefined ? null : dbText(value));

/** Flow media repository over either dialect. */
export function createFlowMediaRepo(database: Kysely<Database>, options: { now?: () => Date } = {}): FlowMediaRepo {
  const db: Kysely<Tables> = database.withTables<{ flow_media: FlowMediaTable }>();
  const now = options.now ?? (() => new Date());
  return {
    async addMedia(media) {
      const inserted = await db
        .insertInto('flow_media')
        .values({
          media_id: dbText(media.mediaId),
          flow_token: optional(media.flowToken),
          message_id: optional(media.messageId),
          field: optional(media.field),
          file_name: optional(media.fileName),
          mime_type: optional(media.mimeType),
          sha256: optional(media.sha256),
          received_at: now().toISOString(),
          downloaded_at: null,
        })
        .onConflict((oc) => oc.column('media_id').doNothing())
        .returning('media_id')
        .executeTakeFirst();
      return inserted !== undefined;
    },

    async listPending(limit) {
      const rows = await db.selectFrom('flow_media').selectAll().where('downloaded_at', 'is', null).orderBy('received_at').orderBy('media_id').limit(limit).execute();
      return rows.map(toMedia);
    },

    async listForSession(flowToken) {
      const rows = await db.selectFrom('flow_media').selectAll().where('flow_token', '=', flowToken).orderBy('media_id').execute();
      return rows.map(toMedia);
    },

    async markDownloaded(mediaId) {
      const result = await db
        .updateTable('flow_media')
        .set({ downloaded_at: now().toISOString() })
        .where('media_id', '=', mediaId)
        .where('downloaded_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
  };
}

function toMedia(row: Selectable<FlowMediaTable>): FlowMedia {
  return {
    mediaId: row.media_id,
    flowToken: row.flow_token,
    messageId: row.message_id,
    field: row.field,
    fileName: row.file_name,
    mimeType: row.mime_type,
    sha256: row.sha256,
    receivedAt: new Date(row.received_at),
    downloadedAt: row.downloaded_at === null ? null : new Date(row.downloaded_at),
  };
}
