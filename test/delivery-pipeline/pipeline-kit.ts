/**
 * Test and bench support for the delivery pipeline: a small compiled form,
 * a catalogue whose flow delivers to webhook sinks on loopback servers, and
 * an opened store with the session repo, delivery repo and outbox wired the
 * way src/main.ts wires them.
 * @module
 */
import { compileForm } from '../../src/core/compile/compile-form.js';
import { formModelSchema } from '../../src/core/form/form-model.js';
import type { JobQueue } from '../../src/queue/job-queue.js';
import { createDeliveryOutbox, type DeliveryOutbox } from '../../src/services/delivery/outbox.js';
import { createFlowCatalogue, type CatalogueFlow, type ConfiguredSink, type FlowCatalogue } from '../../src/services/flow-catalogue.js';
import { webhookSink } from '../../src/sinks/webhook/webhook-sink.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import type { StoreDialect } from '../../src/store/create-database.js';
import { openTestDatabase, type TestDatabase } from '../../src/store/open-test-database.js';
import { createDeliveryRepo, type DeliveryRepo } from '../../src/store/repos/delivery-repo.js';
import { createSessionRepo, type SessionRepo } from '../../src/store/repos/session-repo.js';

/** A lead form: an e-mail, a plan choice and a hidden source. */
export const leadForm = formModelSchema.parse({
  id: 'lead', title: 'Lead',
  pages: [{
    id: 'p1', title: 'Lead', fields: [
      { id: 'mail', key: 'email', type: 'email', label: 'E-mail', required: true },
      { id: 'plan', key: 'plan_choice', type: 'single_choice', label: 'Plan', options: [{ id: 'o1', value: 'BASIC', label: 'Basic' }, { id: 'o2', value: 'PRO', label: 'Pro' }] },
      { id: 'src', key: 'utm_source', type: 'hidden', default: 'whatsapp' },
    ],
  }],
});
export const leadCompiled = compileForm(leadForm);

/** The response_json params of a completed lead flow. */
export function leadResponse(flowToken: string, email: string, plan: 'o1' | 'o2' = 'o2'): string {
  const name = (id: string): string => leadCompiled.fieldMap.fields.find((f) => f.fieldId === id)?.flowName ?? id;
  const planEntry = leadCompiled.fieldMap.fields.find((f) => f.fieldId === 'plan');
  const planFlowId = planEntry?.options?.find((o) => o.optionId === plan)?.flowId ?? plan;
  return JSON.stringify({ flow_token: flowToken, [name('mail')]: email, [name('plan')]: planFlowId });
}

export const WEBHOOK_SECRET = `whsec_${Buffer.from('flowbridge-delivery-test-secret!').toString('base64')}`;

/** A webhook sink (the real connector) posting to `url`. */
export function webhookTo(url: string, name = 'hook'): ConfiguredSink {
  return { name, connector: webhookSink, settings: { url, secret: WEBHOOK_SECRET, timeoutMs: 5000 } };
}

/** A catalogue flow with the lead form (or, with `handWritten`, no form). */
export function leadFlow(sinks: readonly ConfiguredSink[], id = 'F1', handWritten = false): CatalogueFlow {
  return {
    id, name: `Flow ${id}`, categories: ['LEAD_GENERATION'],
    ...(handWritten ? {} : { form: leadForm, fieldMap: leadCompiled.fieldMap }),
    flowJson: leadCompiled.flow, version: 'v-test-1', firstScreen: 'S1', usesEndpoint: false,
    entry: { adIds: [] }, message: { body: 'Hi', cta: 'Open' }, sinks,
  };
}

/** An opened, migrated store with the pieces the pipeline uses. */
export interface PipelineStore {
  readonly test: TestDatabase;
  readonly repo: DeliveryRepo;
  readonly sessions: SessionRepo;
  readonly catalogue: FlowCatalogue;
  /** The outbox over `queue`. */
  outboxFor(queue: Pick<JobQueue, 'enqueue' | 'notify'>): DeliveryOutbox;
  /** Create a session and complete it through `outbox`; returns the submission id (or undefined for a duplicate). */
  complete(outbox: DeliveryOutbox, flowId?: string, email?: string): Promise<string | undefined>;
  close(): Promise<void>;
}

/** Open a fresh database of `dialect` with the given flows. */
export async function openPipelineStore(dialect: StoreDialect, flows: readonly CatalogueFlow[], options: { now?: () => Date } = {}): Promise<PipelineStore> {
  const test = await openTestDatabase(dialect);
  await migrateToLatest(test.store);
  const repo = createDeliveryRepo(test.store.db, options);
  const sessions = createSessionRepo(test.store.db, options);
  const catalogue = createFlowCatalogue(flows);
  return {
    test, repo, sessions, catalogue,
    outboxFor: (queue) => createDeliveryOutbox({ catalogue, queue, repo }),
    async complete(outbox, flowId = flows[0]?.id ?? 'F1', email = 'ana@example.com') {
      const session = await sessions.createSession({ flowId, contactPhone: '447700900123', entryPoint: 'qr' });
      const result = await sessions.completeSession(session.flowToken, leadResponse(session.flowToken, email), outbox.onCompleted);
      return result.created ? result.submissionId : undefined;
    },
    close: () => test.cleanup(),
  };
}

/** A queue that only records what it was asked to enqueue (outbox tests). */
export function recordingQueue(fail = false): Pick<JobQueue, 'enqueue' | 'notify'> & { readonly enqueued: string[] } {
  const enqueued: string[] = [];
  return {
    enqueued,
    enqueue: (_trx, jobs) => {
      if (fail) return Promise.reject(new Error('queue unavailable'));
      enqueued.push(...jobs.map((j) => j.id));
      return Promise.resolve();
    },
    notify: () => undefined,
  };
}
