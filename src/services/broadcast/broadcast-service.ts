/**
 * The broadcast use cases behind the CLI and the API: create a broadcast
 * from a CSV contact list (bad rows reported, good rows kept), start,
 * pause, resume, cancel, and read its progress. Sending itself is the
 * runner's job ({@link createBroadcastRunner}); a started broadcast is
 * `running` in the store and whichever runner holds its lease sends it.
 * @module
 */
import type { Kysely } from 'kysely';
import { AppError } from '../../core/errors.js';
import type { Database } from '../../store/database.js';
import type { BroadcastRepo } from '../../store/repos/broadcast-repo.js';
import { readBroadcastProgress, type BroadcastProgress } from '../../store/repos/broadcast-progress.js';
import type { RecipientRepo } from '../../store/repos/broadcast-recipient-repo.js';
import type { Broadcast, BroadcastState, Recipient } from '../../store/repos/broadcast-tables.js';
import type { GraphClient } from '../../whatsapp/graph/index.js';
import type { CatalogueFlow, FlowCatalogue } from '../flow-catalogue.js';
import { parseContactList, type RejectedRow } from './contact-list.js';
import { storedParams, templateBodyOf, withStoredParams, type TemplateBody } from './template-params.js';

/** A template as Meta holds it: status, and its components (body placeholders) when known. */
export interface TemplateInfo {
  readonly status: string;
  readonly components?: readonly unknown[] | undefined;
  /** `POSITIONAL` or `NAMED` when Meta says; otherwise read from the placeholders. */
  readonly parameterFormat?: string | undefined;
}

/**
 * A template's approval status at Meta (`APPROVED`, `PENDING`, …) with its
 * components when known, undefined when no template of that name and
 * language exists.
 */
export type TemplateStatusLookup = (name: string, language: string) => Promise<TemplateInfo | undefined>;

/** A {@link TemplateStatusLookup} over the Graph API's template listing (status and components). */
export function templateStatusFrom(graph: Pick<GraphClient, 'findTemplates'>): TemplateStatusLookup {
  return async (name, language) => {
    const t = (await graph.findTemplates(name)).find((x) => x.language === language);
    if (t === undefined) return undefined;
    return { status: t.status, components: t.components, parameterFormat: t.parameter_format };
  };
}

const bodyOf = (info: TemplateInfo | undefined): TemplateBody | undefined =>
  (info?.components !== undefined ? templateBodyOf(info.components, info.parameterFormat) : undefined);

/** Dependencies of {@link createBroadcastService}. */
export interface BroadcastServiceDeps {
  readonly db: Kysely<Database>;
  readonly broadcasts: BroadcastRepo;
  readonly recipients: RecipientRepo;
  readonly catalogue: FlowCatalogue;
  /** Config `broadcastRate`: the rate of a broadcast created without one. */
  readonly defaultRate: number;
  /** Checks the template at Meta before a start; skipped when absent (no credentials). */
  readonly templateStatus?: TemplateStatusLookup;
  /** Called after a broadcast became `running` (wakes the worker). */
  readonly onRunning?: (broadcastId: string) => void;
}

/** Arguments of {@link BroadcastService.create}. */
export interface CreateBroadcastInput {
  readonly flowId: string;
  /** The CSV text. */
  readonly csv: string;
  readonly region?: string | undefined;
  readonly optedIn?: boolean | undefined;
  readonly rate?: number | undefined;
  /**
   * Columns filling the template body's placeholders: `column` entries in
   * order for `{{1}}`, `{{2}}`…; `placeholder=column` for named ones. Default:
   * columns `1`, `2`… (positional) or the placeholder's own name (named).
   */
  readonly params?: readonly string[] | undefined;
}

/** A created broadcast and the rows that were left out. */
export interface CreatedBroadcast {
  readonly broadcast: Broadcast;
  readonly recipients: number;
  readonly rejected: readonly RejectedRow[];
  /** The body placeholders and the columns filling them (`{{1}}` ← `first_name`), empty when none. */
  readonly bodyParameters: ReadonlyArray<{ readonly placeholder: string; readonly column: string }>;
}

/** Progress plus the first failed recipients. */
export interface BroadcastStatus extends BroadcastProgress {
  readonly failures: readonly Recipient[];
}

/** The use cases. */
export interface BroadcastService {
  create(input: CreateBroadcastInput): Promise<CreatedBroadcast>;
  start(id: string): Promise<Broadcast>;
  pause(id: string): Promise<Broadcast>;
  resume(id: string): Promise<Broadcast>;
  cancel(id: string): Promise<Broadcast>;
  status(id: string): Promise<BroadcastStatus>;
  /** The newest broadcasts (default 50). */
  list(limit?: number): Promise<Broadcast[]>;
}

/** Meta's highest throughput tier (spec §7.7). */
const MAX_RATE = 1000;

/** Build the service. */
export function createBroadcastService(deps: BroadcastServiceDeps): BroadcastService {
  const flowOf = (flowId: string): CatalogueFlow => {
    const flow = deps.catalogue.get(flowId);
    if (flow === undefined) {
      const known = deps.catalogue.list().map((f) => f.id);
      throw new AppError('NOT_FOUND', `No flow "${flowId}" in the project${known.length > 0 ? ` (flows: ${known.join(', ')})` : ''}: add it to the project file or use one of its ids.`);
    }
    return flow;
  };

  const existing = async (id: string): Promise<Broadcast> => {
    const b = await deps.broadcasts.get(id);
    if (b === undefined) throw new AppError('NOT_FOUND', `No broadcast "${id}".`);
    return b;
  };

  /** The flow has an approved template (publication is the sender's check: its Meta id may come from `flowbridge publish`'s store). */
  async function checkSendable(flowId: string): Promise<TemplateBody | undefined> {
    const flow = flowOf(flowId);
    const template = flow.message.templateName;
    if (template === undefined) throw new AppError('CONFLICT', `Flow "${flowId}" has no template: broadcasts send a template with a FLOW button; set message.template (an approved template with a FLOW button) and, if not en_US, message.templateLanguage for the flow in the project file.`);
    const language = flow.message.templateLanguage ?? 'en_US';
    const info = await deps.templateStatus?.(template, language);
    const status = info?.status;
    if (deps.templateStatus !== undefined && status !== 'APPROVED') {
      throw new AppError('CONFLICT', status === undefined
        ? `Template "${template}" (${language}) does not exist at Meta: create it with a FLOW button for flow "${flowId}" and wait for approval.`
        : `Template "${template}" (${language}) is ${status}, not APPROVED: Meta only sends approved templates; wait for approval or fix it in WhatsApp Manager.`);
    }
    return bodyOf(info);
  }

  /** The recipients' stored parameters still fit the template (it may have been edited since the broadcast was created). */
  async function checkParams(id: string, body: TemplateBody | undefined): Promise<void> {
    if (body === undefined) return;
    const [sample] = [...(await deps.recipients.list(id, 'pending', 1)), ...(await deps.recipients.list(id, 'deferred', 1))];
    if (sample === undefined) return;
    const given = storedParams(sample.vars) ?? [];
    const names = given.map((p) => p.name ?? '');
    const fits = given.length === body.names.length && (body.format === 'POSITIONAL' ? names.every((n) => n === '') : body.names.every((n) => names.includes(n)));
    if (!fits) {
      const want = body.names.map((n) => `{{${n}}}`).join(', ') || 'none';
      throw new AppError('CONFLICT', `The template's body placeholders (${want}) do not match the parameters this broadcast was created with (line ${sample.line} has ${given.length}): create a new broadcast with matching --param / "params".`);
    }
  }

  /**
   * The flow's template placeholders, when Meta can be asked. A failed look-up
   * (Meta unreachable) does not stop a draft: the list is then read with the
   * given or numbered columns, and `start` checks the template again.
   */
  async function knownTemplate(flow: CatalogueFlow): Promise<TemplateBody | undefined> {
    const template = flow.message.templateName;
    if (template === undefined || deps.templateStatus === undefined) return undefined;
    try {
      return bodyOf(await deps.templateStatus(template, flow.message.templateLanguage ?? 'en_US'));
    } catch {
      return undefined;
    }
  }

  async function move(id: string, from: readonly BroadcastState[], to: BroadcastState, verb: string): Promise<Broadcast> {
    const b = await existing(id);
    if (b.state === to) {
      if (to === 'running') deps.onRunning?.(id);
      return b;
    }
    if (!from.includes(b.state)) throw new AppError('CONFLICT', `Broadcast ${id} is ${b.state}; it cannot be ${verb}${b.state === 'cancelled' || b.state === 'done' ? ' (create a new broadcast to send again)' : ''}.`);
    if (to === 'running') await checkParams(id, await checkSendable(b.flowId));
    const moved = await deps.broadcasts.transition(id, from, to, to === 'running' ? null : undefined);
    if (moved === undefined) throw new AppError('CONFLICT', `Broadcast ${id} changed state meanwhile; read its status and try again.`);
    if (to === 'running') deps.onRunning?.(id);
    return moved;
  }

  return {
    async create(input) {
      const flow = flowOf(input.flowId);
      const rate = input.rate ?? deps.defaultRate;
      if (!Number.isFinite(rate) || rate <= 0 || rate > MAX_RATE) throw new AppError('USAGE_INVALID', `The rate must be more than 0 and at most ${MAX_RATE} messages per second, got ${rate}.`);
      const list = parseContactList(input.csv, { defaultRegion: input.region, optedIn: input.optedIn, params: input.params, template: await knownTemplate(flow) });
      if (list.contacts.length === 0) {
        throw new AppError('USAGE_INVALID', `The contact list has no usable row (${list.rejected.length} refused${list.rejected[0] ? `, first: ${list.rejected[0].reason}` : ''}); nothing was created.`, { status: 422, details: { rejected: list.rejected } });
      }
      const broadcast = await deps.broadcasts.create({
        flowId: flow.id, template: flow.message.templateName, rate, region: input.region === undefined || input.region === '' ? undefined : input.region.toUpperCase(), optedIn: input.optedIn === true,
        recipients: list.contacts.map((c) => ({ line: c.line, waId: c.waId, name: c.name, vars: withStoredParams(c.vars, c.params) })),
      });
      const bodyParameters = (list.params?.slots ?? []).map((p) => ({ placeholder: p.placeholder, column: p.column }));
      return { broadcast, recipients: list.contacts.length, rejected: list.rejected, bodyParameters };
    },
    start: (id) => move(id, ['draft', 'paused'], 'running', 'started'),
    pause: (id) => move(id, ['running'], 'paused', 'paused'),
    resume: (id) => move(id, ['paused'], 'running', 'resumed'),
    async cancel(id) {
      const b = await existing(id);
      if (b.state === 'cancelled') return b;
      const cancelled = await deps.broadcasts.cancel(id);
      if (cancelled === undefined) throw new AppError('CONFLICT', `Broadcast ${id} is ${b.state}; only a draft, running or paused broadcast can be cancelled.`);
      return cancelled;
    },
    async status(id) {
      const progress = await readBroadcastProgress(deps.db, id);
      if (progress === undefined) throw new AppError('NOT_FOUND', `No broadcast "${id}".`);
      return { ...progress, failures: await deps.recipients.list(id, 'failed', 20) };
    },
    list: (limit = 50) => deps.broadcasts.listRecent(Math.max(1, Math.min(500, limit))),
  };
}

/** The broadcast as the API shows it. */
export function broadcastJson(b: Broadcast): Record<string, unknown> {
  return {
    id: b.id, flowId: b.flowId, template: b.template, rate: b.rate, region: b.region, optedIn: b.optedIn, state: b.state, error: b.error,
    createdAt: b.createdAt.toISOString(), startedAt: b.startedAt?.toISOString() ?? null, finishedAt: b.finishedAt?.toISOString() ?? null,
  };
}

/** Status as the API (and `flowbridge broadcast status --json`) shows it. */
export function broadcastStatusJson(s: BroadcastStatus): Record<string, unknown> {
  return {
    broadcast: broadcastJson(s.broadcast),
    counters: s.counters,
    failures: s.failures.map((r) => ({ line: r.line, waId: r.waId, errorCode: r.errorCode, error: r.error })),
  };
}
