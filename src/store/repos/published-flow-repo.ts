/**
 * What `flowbridge publish` did at Meta, per catalogue flow: the Meta flow
 * id, the content hash of what was uploaded (a re-run with the same content
 * calls nothing), the status, and the id of the Meta flow that is live
 * (PUBLISHED), which sends use. Published flows are immutable at Meta: an
 * edit becomes a new draft, and until that draft is published the earlier
 * live flow keeps being sent.
 * @module
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../database.js';

/** The `published_flows` table (migration 0005). */
export interface PublishedFlowTable {
  flow_id: string;
  name: string;
  waba_id: string;
  meta_flow_id: string;
  live_meta_flow_id: string | null;
  /** Hash of the uploaded content and metadata; null while Meta reports validation errors (so a re-run uploads again). */
  content_hash: string | null;
  status: string;
  published_at: string | null;
  updated_at: string;
}

/** A stored record. */
export interface PublishedFlow {
  readonly flowId: string;
  readonly name: string;
  readonly wabaId: string;
  /** The Meta flow the latest content went to (a draft after an edit). */
  readonly metaFlowId: string;
  /** The Meta flow that is PUBLISHED and sent; undefined until one was published. */
  readonly liveMetaFlowId: string | undefined;
  readonly contentHash: string | undefined;
  readonly status: string;
  readonly publishedAt: Date | undefined;
}

/** Published-flow persistence. */
export interface PublishedFlowRepo {
  get(flowId: string): Promise<PublishedFlow | undefined>;
  /** Insert or replace the record of `flowId`. */
  save(record: Omit<PublishedFlow, 'publishedAt'> & { readonly publishedAt?: Date | undefined }): Promise<void>;
}

type Tables = Database & { published_flows: PublishedFlowTable };

/** Repository over either dialect. */
export function createPublishedFlowRepo(database: Kysely<Database>, options: { now?: () => Date } = {}): PublishedFlowRepo {
  const db: Kysely<Tables> = database.withTables<{ published_flows: PublishedFlowTable }>();
  const now = options.now ?? (() => new Date());
  return {
    async get(flowId) {
      const row = await db.selectFrom('published_flows').selectAll().where('flow_id', '=', flowId).executeTakeFirst();
      return row && toRecord(row);
    },
    async save(record) {
      const row: Selectable<PublishedFlowTable> = {
        flow_id: record.flowId, name: record.name, waba_id: record.wabaId, meta_flow_id: record.metaFlowId,
        live_meta_flow_id: record.liveMetaFlowId ?? null, content_hash: record.contentHash ?? null, status: record.status,
        published_at: record.publishedAt?.toISOString() ?? null, updated_at: now().toISOString(),
      };
      const { flow_id: _id, ...rest } = row;
      await db.insertInto('published_flows').values(row).onConflict((oc) => oc.column('flow_id').doUpdateSet(rest)).execute();
    },
  };
}

function toRecord(row: Selectable<PublishedFlowTable>): PublishedFlow {
  return {
    flowId: row.flow_id, name: row.name, wabaId: row.waba_id, metaFlowId: row.meta_flow_id,
    liveMetaFlowId: row.live_meta_flow_id ?? undefined, contentHash: row.content_hash ?? undefined, status: row.status,
    publishedAt: row.published_at === null ? undefined : new Date(row.published_at),
  };
}
