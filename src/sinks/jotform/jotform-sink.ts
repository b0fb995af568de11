/**
 * Jotform sink: each submission becomes a real submission of the form
 * (`POST /form/{id}/submissions`, form-encoded, `APIKEY` header; Jotform API
 * "Add a submission"). Jotform takes no idempotency key: a retry after an
 * attempt that may have landed first looks among the newest submissions for
 * one with our answers (`find-earlier-submission.ts`; `checkBeforeWrite:
 * false` turns it off).
 * @module
 */
import { z } from 'zod';
import type { FormModel } from '../../core/form/index.js';
import { classifyStatus, defineSink, withNamedField, type DeliveryOutcome } from '../sink-connector.js';
import { settleEarlierAttempt } from '../earlier-attempt.js';
import { senderOf, unreachable, type AttemptResult } from '../http/http-sender.js';
import { encodeJotformSubmission } from './encode-jotform-submission.js';
import { findEarlierSubmission } from './find-earlier-submission.js';

const settingsSchema = z.object({
  /** `https://api.jotform.com`; EU `https://eu-api.jotform.com`, HIPAA `https://hipaa-api.jotform.com`. */
  baseUrl: z.url().default('https://api.jotform.com'),
  apiKey: z.string().min(1),
  /** Overrides the form id found when the form was imported. */
  formId: z.string().min(1).optional(),
  /** On a retry, look for the submission an earlier attempt may have created. */
  checkBeforeWrite: z.boolean().default(true),
  timeoutMs: z.number().int().positive().default(30_000),
});

const ATTEMPT_STEP = 'jotform:first-post-at';

/** Settings of the Jotform sink. */
export type JotformSinkSettings = z.infer<typeof settingsSchema>;

/** A daily-limit 429 carries no Retry-After: wait an hour rather than hammer the API (our choice). */
const DAILY_LIMIT_WAIT_MS = 3_600_000;

function formIdFor(form: FormModel, settings: JotformSinkSettings): string | undefined {
  return settings.formId ?? form.source.formId;
}

function checkForm(form: FormModel, settings: JotformSinkSettings): string[] {
  const problems: string[] = [];
  if (formIdFor(form, settings) === undefined) problems.push('The Jotform form id is unknown: import the form from Jotform or set formId.');
  const files = form.pages.flatMap((p) => p.fields).filter((f) => f.type === 'file');
  if (files.length > 0) problems.push(`Jotform's API does not take file uploads (${files.map((f) => `'${f.label}'`).join(', ')}).`);
  return problems;
}

function outcome(form: FormModel, httpStatus: number, text: string, retryAfter: string | null): DeliveryOutcome {
  let status = httpStatus;
  let message = `Jotform answered HTTP ${httpStatus}.`;
  let id: string | undefined;
  try {
    const env = JSON.parse(text) as { responseCode?: unknown; message?: unknown; content?: unknown };
    if (typeof env.responseCode === 'number') status = env.responseCode;
    if (typeof env.message === 'string') message = env.message.trim();
    const content = env.content as { submissionID?: unknown } | null;
    if (content && typeof content.submissionID === 'string') id = content.submissionID;
  } catch {
    // not JSON: keep the HTTP status
  }
  if (status >= 200 && status < 300) return id === undefined ? { kind: 'delivered' } : { kind: 'delivered', externalId: id };
  const out = classifyStatus(status, message, retryAfter);
  if (out.kind === 'retry' && status === 429 && out.retryAfterMs === undefined) return { ...out, retryAfterMs: DAILY_LIMIT_WAIT_MS };
  return withNamedField(out, form, /question(?: id)?\s*#?(\d+)/i, 'qid');
}

/** The Jotform submission sink. */
export const jotformSink = defineSink<JotformSinkSettings>({
  id: 'jotform',
  displayName: 'Jotform',
  settingsSchema,
  checkForm,
  async deliver(ctx, submission) {
    const problems = checkForm(submission.form, ctx.settings);
    const formId = formIdFor(submission.form, ctx.settings);
    if (problems.length > 0 || formId === undefined) return { kind: 'permanent', reason: problems.join(' ') };
    const encoded = encodeJotformSubmission(submission.form, submission.answers);
    if (!encoded.ok) return { kind: 'permanent', reason: encoded.reason, field: encoded.field };
    let res: AttemptResult;
    try {
      const lookup = ctx.settings.checkBeforeWrite
        ? () => findEarlierSubmission({ fetch: ctx.fetch, baseUrl: ctx.settings.baseUrl, apiKey: ctx.settings.apiKey, formId, fields: encoded.fields, timeoutMs: ctx.settings.timeoutMs })
        : undefined;
      const settled = await settleEarlierAttempt({ progress: ctx.progress, now: ctx.now, step: ATTEMPT_STEP, lookup, foundNote: 'Found the submission created by an earlier attempt.' });
      if (settled) return settled;
      res = await senderOf(ctx).send({
        method: 'POST',
        url: `${ctx.settings.baseUrl.replace(/\/+$/, '')}/form/${encodeURIComponent(formId)}/submissions`,
        headers: { apikey: ctx.settings.apiKey, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams(encoded.fields.map(([k, v]): [string, string] => [k, v])).toString(),
        timeoutMs: ctx.settings.timeoutMs,
      });
    } catch (error) {
      return { kind: 'retry', reason: `Jotform could not be reached: ${error instanceof Error ? error.message : String(error)}` };
    }
    if (res.kind === 'failed') return unreachable('Jotform', res);
    return outcome(submission.form, res.status, res.text, res.retryAfter);
  },
});
