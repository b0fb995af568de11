/**
 * Conversation state per contact: when they last wrote to the business.
 * The Cloud API lets a business send free-form (interactive) messages only
 * within 24 hours of the user's last message (Meta, "Customer service
 * windows"; error 131047 otherwise), so the sender reads this to choose an
 * interactive flow message or a template.
 * @module
 */
import type { Kysely } from 'kysely';
import type { Database } from '../database.js';
import { dbText } from './db-text.js';

/** The `conversations` table (migration 0005). */
export interface ConversationTable {
  wa_id: string;
  last_inbound_at: string;
  last_message_id: string | null;
  updated_at: string;
}

/** An inbound message to remember. */
export interface InboundRecord {
  readonly waId: string;
  readonly messageId?: string | undefined;
  readonly at: Date;
}

/** What is known about a contact's conversation. */
export interface ConversationState {
  readonly waId: string;
  readonly lastInboundAt: Date;
  readonly lastMessageId: string | null;
}

/** Conversation persistence; see {@link createConversationRepo}. */
export interface ConversationRepo {
  /** Keeps the latest inbound message per contact: an older (out-of-order or redelivered) one changes nothing. */
  recordInbound(record: InboundRecord): Promise<void>;
  get(waId: string): Promise<ConversationState | undefined>;
}

type Tables = Database & { conversations: ConversationTable };

/** Conversation repository over either dialect. */
export function createConversationRepo(database: Kysely<Database>, options: { now?: () => Date } = {}): ConversationRepo {
  const db: Kysely<Tables> = database.withTables<{ conversations: ConversationTable }>();
  const now = options.now ?? (() => new Date());
  return {
    async recordInbound(record) {
      const row = {
        wa_id: dbText(record.waId),
        last_inbound_at: record.at.toISOString(),
        last_message_id: record.messageId === undefined ? null : dbText(record.messageId),
        updated_at: now().toISOString(),
      };
      await db
        .insertInto('conversations')
        .values(row)
        .onConflict((oc) =>
          oc
            .column('wa_id')
            .doUpdateSet((eb) => ({
              last_inbound_at: eb.ref('excluded.last_inbound_at'),
              last_message_id: eb.ref('excluded.last_message_id'),
              updated_at: eb.ref('excluded.updated_at'),
            }))
            .where('conversations.last_inbound_at', '<', row.last_inbound_at),
        )
        .execute();
    },

    async get(waId) {
      const row = await db.selectFrom('conversations').selectAll().where('wa_id', '=', waId).executeTakeFirst();
      return row === undefined ? undefined : { waId: row.wa_id, lastInboundAt: new Date(row.last_inbound_at), lastMessageId: row.last_message_id };
    },
  };
}
