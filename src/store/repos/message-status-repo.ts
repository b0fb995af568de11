/**
 * Statuses of outbound messages as the Cloud API reports them (Meta,
 * "Webhooks, messages: status"; spec §6.4): one row per message and status,
 * so a redelivered webhook changes nothing and the history of a message
 * (sent → delivered → read, or failed with its error code) can be shown.
 * @module
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../database.js';
import { dbText } from './db-text.js';
import { newRowId } from '../row-id.js';

/** The `message_statuses` table (migration 0002). */
export interface MessageStatusTable {
  id: string;
  /** wamid of the outbound message. */
  message_id: string;
  status: string;
  occurred_at: string | null;
  recipient_id: string | null;
  /** First error's code, e.g. 131026 (client cannot open flows) or 131047 (service window closed). */
  error_code: number | null;
  errors_json: string | null;
  conversation_json: string | null;
  pricing_json: string | null;
  received_at: string;
}

/** A status to record. */
export interface NewMessageStatus {
  readonly messageId: string;
  readonly status: string;
  readonly occurredAt?: Date | undefined;
  readonly recipientId?: string | undefined;
  readonly errorCode?: number | undefined;
  /** The `errors[]` array, `conversation` and `pricing` objects, kept as JSON text. */
  readonly errors?: unknown;
  readonly conversation?: unknown;
  readonly pricing?: unknown;
}

/** A stored status. */
export interface StoredMessageStatus {
  readonly messageId: string;
  readonly status: string;
  readonly occurredAt: Date | null;
  readonly recipientId: string | null;
  readonly errorCode: number | null;
  readonly errorsJson: string | null;
  readonly conversationJson: string | null;
  readonly pricingJson: string | null;
  readonly receivedAt: Date;
}

/** Message status persistence; see {@link createMessageStatusRepo}. */
export interface MessageStatusRepo {
  /** True when stored now, false when this message already had this status (a redelivery). */
  recordStatus(status: NewMessageStatus): Promise<boolean>;
  /** Every status of a message, oldest first. */
  listStatuses(messageId: string): Promise<StoredMessageStatus[]>;
}

type Tables = Database & { message_statuses: MessageStatusTable };

/** Message status repository over either dialect. */
export function createMessageStatusRepo(database: Kysely<Database>, options: { now?: () => Date } = {}): MessageStatusRepo {
  const db: Kysely<Tables> = database.withTables<{ message_statuses: MessageStatusTable }>();
  const now = options.now ?? (() => new Date());
  return {
    async recordStatus(status) {
      const inserted = await db
        .insertInto('message_statuses')
        .values({
          id: newRowId(),
          message_id: dbText(status.messageId),
          status: dbText(status.status),
          occurred_at: status.occurredAt?.toISOString() ?? null,
          recipient_id: status.recipientId === undefined ? null : dbText(status.recipientId),
          error_code: status.errorCode !== undefined && Number.isSafeInteger(status.errorCode) && Math.abs(status.errorCode) < 2 ** 31 ? status.errorCode : null,
          errors_json: jsonOrNull(status.errors),
          conversation_json: jsonOrNull(status.conversation),
          pricing_json: jsonOrNull(status.pricing),
          received_at: now().toISOString(),
        })
        .onConflict((oc) => oc.columns(['message_id', 'status']).doNothing())
        .returning('id')
        .executeTakeFirst();
      return inserted !== undefined;
    },

    async listStatuses(messageId) {
      const rows = await db.selectFrom('message_statuses').selectAll().where('message_id', '=', messageId).orderBy('received_at').orderBy('id').execute();
      return rows.map(toStatus);
    },
  };
}

function jsonOrNull(value: unknown): string | null {
  return value === undefined || value === null ? null : dbText(JSON.stringify(value));
}

function toStatus(row: Selectable<MessageStatusTable>): StoredMessageStatus {
  return {
    messageId: row.message_id,
    status: row.status,
    occurredAt: row.occurred_at === null ? null : new Date(row.occurred_at),
    recipientId: row.recipient_id,
    errorCode: row.error_code,
    errorsJson: row.errors_json,
    conversationJson: row.conversation_json,
    pricingJson: row.pricing_json,
    receivedAt: new Date(row.received_at),
  };
}
