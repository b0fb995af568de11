/**
 * Contract fake of a Standard Webhooks consumer (standardwebhooks.com):
 * verifies `webhook-id`/`webhook-timestamp`/`webhook-signature` with the
 * reference library (which also enforces the 5-minute timestamp tolerance)
 * and the payload envelope; dedupes on `webhook-id`.
 * @module
 */
import { Webhook } from 'standardwebhooks';
import type { FormModel } from '../../../src/core/form/index.js';
import { startSignedReceiver, type SignedReceiver } from './signed-receiver.js';

/** Options of the fake. */
export interface WebhookSinkFakeOptions {
  readonly secret: string;
  /** When given, answers must use this form's field keys and its required top-level fields must be present. */
  readonly form?: FormModel;
}

const header = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));

/** Start the fake consumer. */
export function startWebhookSinkFake(options: WebhookSinkFakeOptions): Promise<SignedReceiver> {
  const wh = new Webhook(options.secret);
  return startSignedReceiver({
    verify(req) {
      try {
        wh.verify(req.body, { 'webhook-id': header(req.headers['webhook-id']), 'webhook-timestamp': header(req.headers['webhook-timestamp']), 'webhook-signature': header(req.headers['webhook-signature']) });
        return undefined;
      } catch (e) {
        return e instanceof Error ? e.message : 'invalid signature';
      }
    },
    validate(p) {
      const problems: string[] = [];
      if (typeof p.type !== 'string') problems.push('type missing');
      if (typeof p.timestamp !== 'string' || Number.isNaN(Date.parse(p.timestamp))) problems.push('timestamp is not an ISO date');
      const data = p.data as Record<string, unknown> | undefined;
      if (typeof data !== 'object' || data === null) return [...problems, 'data missing'];
      if (typeof data.submissionId !== 'string') problems.push('data.submissionId missing');
      const answers = data.answers as Record<string, unknown> | undefined;
      if (typeof answers !== 'object' || answers === null) return [...problems, 'data.answers missing'];
      if (options.form) {
        const fields = options.form.pages.flatMap((pg) => pg.fields);
        const keys = new Set(fields.map((f) => f.key));
        for (const k of Object.keys(answers)) if (!keys.has(k)) problems.push(`answer '${k}' is not a field of the form`);
      }
      return problems;
    },
    eventId: (_p, req) => header(req.headers['webhook-id']),
  });
}
