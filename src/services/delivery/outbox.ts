/**
 * The transactional outbox: a {@link CompletionHook} that runs inside the
 * transaction completing a session and writes, with the submission, its
 * frozen answers and one delivery job per configured sink, and hands the
 * jobs to the queue in that same transaction. Either all of it commits or
 * none of it does; a duplicate completion never reaches the hook (the
 * session repo creates the submission once), and a (submission, sink) pair
 * is UNIQUE in `delivery_jobs` as a backstop.
 * @module
 */
import type { JobQueue } from '../../queue/job-queue.js';
import type { DeliveryRepo } from '../../store/repos/delivery-repo.js';
import type { CompletionHook } from '../../store/repos/session-repo.js';
import type { FlowCatalogue } from '../flow-catalogue.js';
import { answersOf } from './submission-answers.js';

/** What the outbox needs. */
export interface DeliveryOutboxOptions {
  readonly catalogue: Pick<FlowCatalogue, 'get'>;
  readonly queue: Pick<JobQueue, 'enqueue' | 'notify'>;
  readonly repo: Pick<DeliveryRepo, 'storeAnswers' | 'insertJobs'>;
}

/** The hook to pass as `onCompleted` to the session service. */
export interface DeliveryOutbox {
  readonly onCompleted: CompletionHook;
  /** Call after the completion committed: wakes this process's idle workers. */
  readonly afterCommit: () => void;
}

/** Build the outbox hook. */
export function createDeliveryOutbox(options: DeliveryOutboxOptions): DeliveryOutbox {
  const { catalogue, queue, repo } = options;
  return {
    async onCompleted(trx, completed) {
      // One statement per step for the whole batch of completions sharing this transaction.
      await repo.storeAnswers(trx, completed.map((c) => {
        const flow = catalogue.get(c.flowId);
        return { submissionId: c.submissionId, answersJson: JSON.stringify(answersOf(flow, c.responseJson)), formVersion: flow?.version ?? '' };
      }));
      const wanted = completed.flatMap((c) => (catalogue.get(c.flowId)?.sinks ?? []).map((s) => ({ submissionId: c.submissionId, flowId: c.flowId, sinkName: s.name, sinkType: s.connector.id })));
      if (wanted.length === 0) return;
      const jobs = await repo.insertJobs(trx, wanted);
      await queue.enqueue(trx, jobs.map((j) => ({ id: j.id, runAt: j.nextAttemptAt })));
      // The queue is told after the hook; a SQLite poller woken early waits for this transaction to end.
      queue.notify();
    },
    afterCommit: () => queue.notify(),
  };
}
