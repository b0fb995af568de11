/**
 * One log line per delivery state change. Answers never appear: only ids,
 * the flow and sink names, the attempt count and the sink's own message.
 * @module
 */
import type { LogSink } from '../client-error-recorder.js';
import type { DeliveryEvent } from './worker.js';

/** Log a worker event at the level an operator expects (error for permanent/dead, warn for retries). */
export function logDeliveryEvent(log: LogSink, event: DeliveryEvent): void {
  const fields = { job: event.job.id, submission: event.job.submissionId, flow: event.flowId, sink: event.sinkName, attempts: event.job.attempts };
  if (event.kind === 'permanent' || event.kind === 'dead') log.error({ ...fields, reason: event.reason, field: event.field }, `delivery ${event.kind}`);
  else if (event.kind === 'retrying') log.warn({ ...fields, reason: event.reason, next: event.job.nextAttemptAt }, 'delivery will be retried');
  else log.info(fields, `delivery ${event.kind}`);
}
