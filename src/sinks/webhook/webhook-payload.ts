/**
 * The generic webhook's JSON body: Standard Webhooks' recommended envelope
 * (`type`, `timestamp`, `data`; standardwebhooks.com "Payload structure")
 * with the answers keyed by the source form's field keys, so a consumer
 * reads them the way the original form would have named them.
 * @module
 */
import type { SourceValue } from '../../core/compile/map-answers-to-source.js';
import type { Submission } from '../sink-connector.js';

/** The event type this sink sends. */
export const SUBMISSION_EVENT_TYPE = 'form.submission.completed';

/** The body a consumer receives. */
export interface WebhookPayload {
  readonly type: typeof SUBMISSION_EVENT_TYPE;
  readonly timestamp: string;
  readonly data: {
    readonly submissionId: string;
    /** The flow session's token: the same value the send returned, so the consumer can find the conversation. */
    readonly flowToken: string;
    readonly form: { readonly id: string; readonly title: string; readonly system: string; readonly formId?: string };
    readonly answers: Readonly<Record<string, SourceValue>>;
    readonly contact: { readonly phone: string; readonly name?: string };
    readonly submittedAt: string;
    readonly entryPoint?: string;
    /** File metadata only: the bytes stay in Flowbridge's media store. */
    readonly files: ReadonlyArray<{ readonly fieldKey: string; readonly fileName: string; readonly mimeType: string; readonly size: number }>;
  };
}

/** Build the payload (pure: the same submission always gives the same body). */
export function buildWebhookPayload(submission: Submission): WebhookPayload {
  const { form } = submission;
  return {
    type: SUBMISSION_EVENT_TYPE,
    timestamp: submission.submittedAt,
    data: {
      submissionId: submission.id,
      flowToken: submission.flowToken,
      form: { id: form.id, title: form.title, system: form.source.system, ...(form.source.formId === undefined ? {} : { formId: form.source.formId }) },
      answers: submission.answers,
      contact: { phone: submission.contact.phone, ...(submission.contact.name === undefined ? {} : { name: submission.contact.name }) },
      submittedAt: submission.submittedAt,
      ...(submission.entryPoint === undefined ? {} : { entryPoint: submission.entryPoint }),
      files: submission.files.map((f) => ({ fieldKey: f.fieldKey, fileName: f.fileName, mimeType: f.mimeType, size: f.size })),
    },
  };
}
