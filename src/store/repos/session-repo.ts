/**
 * Flow sessions and their one submission. A session is created when a flow
 * is sent; its unguessable `flow_token` travels with the flow (Meta:
 * "Implementing Endpoints for Flows": the token should identify the session
 * and be hard to guess) and comes back in every endpoint request and in the
 * completion webhook's `response_json`.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { PostgresAdapter, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database, FlowSessionTable, SessionStatus } from '../database.js';
import { createGroupCommit } from '../group-commit.js';
import { completeBatch, type CompleteRequest } from './session-complete.js';
import { caseByKey } from './sql-case.js';

/** A flow session as the application sees it. */
export interface FlowSession {
  readonly flowToken: string;
  readonly flowId: string;
  readonly formId: string | null;
  readonly contactPhone: string;
  readonly entryPoint: string | null;
  readonly campaign: string | null;
  /** `expired` also when still stored as `open` but past `expiresAt`. */
  readonly status: SessionStatus;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly completedAt: Date | null;
  readonly lastScreen: string | null;
}

/** What the caller knows when sending a flow. */
export interface NewSession {
  readonly flowId: string;
  readonly formId?: string | null;
  readonly contactPhone: string;
  readonly entryPoint?: string | null;
  readonly campaign?: string | null;
  /** Lifetime of the token; after it the endpoint answers 427 (Meta: "flow_token invalid/expired"). */
  readonly ttlMs?: number;
}

/** Result of {@link SessionRepo.completeSession}: `created` is true for exactly one call per session. */
export type CompleteResult =
  | { readonly created: true; readonly submissionId: string }
  | { readonly created: false; readonly reason: 'duplicate' | 'unknown_token' };

/** What a completion hook learns about the submission just created (inside its transaction). */
export interface CompletedSubmission {
  readonly submissionId: string;
  readonly flowToken: string;
  readonly flowId: string;
  readonly formId: string | null;
  readonly contactPhone: string;
  readonly entryPoint: string | null;
  readonly campaign: string | null;
  /** The nfm_reply-shaped `response_json` text. */
  readonly responseJson: string;
  /** ISO-8601 UTC, the same instant as `completed_at` and the submission's `created_at`. */
  readonly completedAt: string;
}

/**
 * Runs inside the completing transaction, once per submission created (the
 * transactional outbox: delivery jobs are written with it or not at all).
 * Concurrent completions are group-committed, so one call receives every
 * submission of its batch (at least one). A throw rolls the batch back; it
 * is then completed one submission at a time, and only the caller whose
 * submission still fails sees the error.
 */
export type CompletionHook = (trx: Transaction<Database>, submissions: readonly CompletedSubmission[]) => Promise<void>;

/** A stored submission. */
export interface StoredSubmission {
  readonly id: string;
  readonly flowToken: string;
  readonly responseJson: string;
  readonly createdAt: Date;
}

/** Default session lifetime: a week, long enough for a template message opened days later. */
export const DEFAULT_SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** Session persistence; see {@link createSessionRepo}. */
export interface SessionRepo {
  createSession(input: NewSession): Promise<FlowSession>;
  getSession(flowToken: string): Promise<FlowSession | undefined>;
  /** Records where the user is; ignored unless the session is open. */
  recordScreen(flowToken: string, screen: string): Promise<void>;
  /** {@link recordScreen} for many sessions in one transaction (one commit instead of one per screen). */
  recordScreens(entries: ReadonlyArray<readonly [flowToken: string, screen: string]>): Promise<void>;
  completeSession(flowToken: string, responseJson: string, hook?: CompletionHook): Promise<CompleteResult>;
  getSubmission(flowToken: string): Promise<StoredSubmission | undefined>;
  /** Marks every open session past its expiry as `expired`; returns how many. */
  expireSessions(): Promise<number>;
}

/**
 * Screens per UPDATE in {@link SessionRepo.recordScreens}: 3 bound values
 * each, far below SQLite's 32 766 and PostgreSQL's 65 535 parameters.
 */
const SCREENS_PER_STATEMENT = 500;


/** A new flow token: 256 random bits, base64url (43 characters). */
export function newFlowToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Session repository over either dialect. `now` is injectable for tests of
 * expiry; timestamps are stored as ISO strings (see `../database.ts`).
 */
export function createSessionRepo(db: Kysely<Database>, options: { now?: () => Date } = {}): SessionRepo {
  const now = options.now ?? (() => new Date());
  // Compiled once: the endpoint looks a session up on every request, and building the SQL each time showed in profiles.
  const selectSession = db.selectFrom('flow_sessions').selectAll().where('flow_token', '=', '').compile();
  const updateScreen = (executor: Kysely<Database>, flowToken: string, screen: string): Promise<unknown> =>
    executor.updateTable('flow_sessions').set({ last_screen: screen }).where('flow_token', '=', flowToken).where('status', '=', 'open').execute();

  // Group commit: completions arriving while one is being written share the next transaction (one
  // fsync for many); a failed batch is written again one completion at a time, so only the bad one fails.
  const completeGrouped = createGroupCommit<CompleteRequest, CompleteResult>(
    (requests) => db.transaction().execute(async (trx) => {
      return completeBatch(trx, requests, now().toISOString());
    }),
    // PostgreSQL overlaps a few round-trip-bound transactions; SQLite has one writer.
    { maxInFlight: db.getExecutor().adapter instanceof PostgresAdapter ? 4 : 1 },
  );

  return {
    async createSession(input) {
      const created = now();
      const row: Selectable<FlowSessionTable> = {
        flow_token: newFlowToken(),
        flow_id: input.flowId,
        form_id: input.formId ?? null,
        contact_phone: input.contactPhone,
        entry_point: input.entryPoint ?? null,
        campaign: input.campaign ?? null,
        status: 'open',
        created_at: created.toISOString(),
        expires_at: new Date(created.getTime() + (input.ttlMs ?? DEFAULT_SESSION_TTL_MS)).toISOString(),
        completed_at: null,
        last_screen: null,
      };
      await db.insertInto('flow_sessions').values(row).execute();
      return toSession(row, created);
    },

    async getSession(flowToken) {
      const { rows } = await db.executeQuery<Selectable<FlowSessionTable>>({ ...selectSession, parameters: [flowToken] });
      const row = rows[0];
      return row === undefined ? undefined : toSession(row, now());
    },

    async recordScreen(flowToken, screen) {
      await updateScreen(db, flowToken, screen);
    },

    async recordScreens(entries) {
      // Last value per token wins, as if the entries were written one after the other.
      const latest = [...new Map(entries)];
      if (latest.length === 0) return;
      // One UPDATE … CASE per chunk: the endpoint writes a batch every few ms under load, and one
      // statement per screen (built, prepared and run each time) was most of the batch's cost.
      if (latest.length <= SCREENS_PER_STATEMENT) return updateScreens(db, latest);
      await db.transaction().execute(async (trx) => {
        for (let i = 0; i < latest.length; i += SCREENS_PER_STATEMENT) await updateScreens(trx, latest.slice(i, i + SCREENS_PER_STATEMENT));
      });
    },

    /**
     * One transaction that starts with the write: the conditional UPDATE
     * takes the row lock (PostgreSQL) or the write lock (SQLite) first, so
     * a concurrent duplicate waits, then sees `completed` and changes
     * nothing. The UNIQUE flow_token on submissions is the backstop.
     * Concurrent completions are group-committed (several in one
     * transaction, each still answered only after its commit).
     * Expired sessions still complete: the user did submit, and losing
     * their answers is worse than accepting them late.
     */
    completeSession: (flowToken, responseJson, hook) => completeGrouped({ flowToken, responseJson, hook }),

    async getSubmission(flowToken) {
      const row = await db.selectFrom('submissions').selectAll().where('flow_token', '=', flowToken).executeTakeFirst();
      if (row === undefined) return undefined;
      return { id: row.id, flowToken: row.flow_token, responseJson: row.response_json, createdAt: new Date(row.created_at) };
    },

    async expireSessions() {
      const result = await db
        .updateTable('flow_sessions')
        .set({ status: 'expired' })
        .where('status', '=', 'open')
        .where('expires_at', '<=', now().toISOString())
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
  };
}

/** Set `last_screen` of the open sessions among `entries` (distinct tokens) in one statement. */
async function updateScreens(executor: Kysely<Database>, entries: ReadonlyArray<readonly [string, string]>): Promise<void> {
  const screenOf = caseByKey('flow_token', entries);
  await executor
    .updateTable('flow_sessions')
    .set({ last_screen: screenOf })
    .where('flow_token', 'in', entries.map(([token]) => token))
    .where('status', '=', 'open')
    .execute();
}

function toSession(row: Selectable<FlowSessionTable>, at: Date): FlowSession {
  const expiresAt = new Date(row.expires_at);
  return {
    flowToken: row.flow_token,
    flowId: row.flow_id,
    formId: row.form_id,
    contactPhone: row.contact_phone,
    entryPoint: row.entry_point,
    campaign: row.campaign,
    status: row.status === 'open' && expiresAt.getTime() <= at.getTime() ? 'expired' : row.status,
    createdAt: new Date(row.created_at),
    expiresAt,
    completedAt: row.completed_at === null ? null : new Date(row.completed_at),
    lastScreen: row.last_screen,
  };
}
