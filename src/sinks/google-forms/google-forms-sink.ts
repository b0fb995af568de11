/**
 * Google Forms sink: posts each submission to the public form's
 * `formResponse` URL, as a browser would, so it lands in the form's
 * responses, its linked Sheet and `onFormSubmit` triggers. There is no
 * official API for this (the Forms API is read-only for responses) and no
 * idempotency key. With a read token the sink checks before writing on a
 * retry (see `find-recorded-response.ts`); without one, a response lost
 * after Google recorded it is posted again on retry.
 * @module
 */
import { z } from 'zod';
import { defineSink, type DeliveryOutcome } from '../sink-connector.js';
import { settleEarlierAttempt } from '../earlier-attempt.js';
import { senderOf, unreachable, type AttemptResult } from '../http/http-sender.js';
import { checkGoogleForm, publishedIdFor } from './check-google-form.js';
import { encodeFormResponse } from './encode-form-response.js';
import { findRecordedResponse } from './find-recorded-response.js';

const settingsSchema = z.object({
  /** Where the public forms live (a proxy or a fake in tests). */
  baseUrl: z.url().default('https://docs.google.com'),
  /** Overrides the `1FAIpQL…` id read from the form's responder link. */
  publishedId: z.string().min(1).optional(),
  /** Declared by the operator: the form is restricted to a domain or to one response per person. */
  signInRequired: z.boolean().default(false),
  /** OAuth access token with `forms.responses.readonly`: lets a retry check whether an earlier attempt landed. */
  readToken: z.string().min(1).optional(),
  /** The Forms API (for the check before writing). */
  apiBaseUrl: z.url().default('https://forms.googleapis.com'),
  timeoutMs: z.number().int().positive().default(30_000),
});

const ATTEMPT_STEP = 'google-forms:first-post-at';

/** Settings of the Google Forms sink. */
export type GoogleFormsSinkSettings = z.infer<typeof settingsSchema>;

/** Marks of the form page itself: Google sometimes answers a rejected POST with the form again, HTTP 200 (unconfirmed). */
const FORM_PAGE = /FB_PUBLIC_LOAD_DATA_/;
const CONFIRMATION = /freebirdFormviewerViewResponseConfirmationMessage/;

function outcomeOf(status: number, location: string | null, retryAfter: string | null, page: string): DeliveryOutcome {
  if (status >= 200 && status < 300) {
    if (FORM_PAGE.test(page) && !CONFIRMATION.test(page)) {
      return { kind: 'permanent', reason: 'Google Forms showed the form again instead of the confirmation: a required answer is missing, or an option text or date does not match the form.' };
    }
    return { kind: 'delivered' };
  }
  if ((status >= 300 && status < 400 && location !== null && /accounts\.google\.com|ServiceLogin/.test(location)) || status === 401) {
    return { kind: 'permanent', reason: 'Google Forms requires sign-in for this form (redirected to the Google sign-in page): it cannot take anonymous responses.' };
  }
  if (status === 404) return { kind: 'permanent', reason: 'Google Forms answered 404: the form is not published (or was deleted).' };
  if (status === 429 || status === 408 || status >= 500) {
    const seconds = retryAfter !== null && /^\d+$/.test(retryAfter.trim()) ? Number(retryAfter.trim()) * 1000 : undefined;
    const reason = `Google Forms answered HTTP ${status}.`;
    return seconds === undefined ? { kind: 'retry', reason } : { kind: 'retry', reason, retryAfterMs: seconds };
  }
  return { kind: 'permanent', reason: `Google Forms rejected the response (HTTP ${status}; Google gives no detail: a required answer is missing, or an option text or date does not match the form).` };
}

/** The Google Forms `formResponse` sink. */
export const googleFormsSink = defineSink<GoogleFormsSinkSettings>({
  id: 'google-forms',
  displayName: 'Google Forms',
  settingsSchema,
  checkForm: (form, settings) => checkGoogleForm(form, settings),
  async deliver(ctx, submission) {
    const problems = checkGoogleForm(submission.form, ctx.settings);
    const publishedId = publishedIdFor(submission.form, ctx.settings);
    if (problems.length > 0 || publishedId === undefined) return { kind: 'permanent', reason: problems.join(' ') };
    const encoded = encodeFormResponse(submission.form, submission.answers);
    if (!encoded.ok) return { kind: 'permanent', reason: encoded.reason, field: encoded.field };
    const url = `${ctx.settings.baseUrl.replace(/\/+$/, '')}/forms/d/e/${encodeURIComponent(publishedId)}/formResponse`;
    let res: AttemptResult;
    try {
      const readToken = ctx.settings.readToken;
      const lookup =
        readToken === undefined
          ? undefined
          : (since: string) => findRecordedResponse({ fetch: ctx.fetch, apiBaseUrl: ctx.settings.apiBaseUrl, token: readToken, form: submission.form, answers: submission.answers, since, timeoutMs: ctx.settings.timeoutMs });
      const settled = await settleEarlierAttempt({ progress: ctx.progress, now: ctx.now, step: ATTEMPT_STEP, lookup, foundNote: 'Found the response recorded by an earlier attempt.' });
      if (settled) return settled;
      res = await senderOf(ctx).send({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(encoded.fields.map(([k, v]): [string, string] => [k, v])).toString(),
        redirect: 'manual',
        timeoutMs: ctx.settings.timeoutMs,
      });
    } catch (error) {
      return { kind: 'retry', reason: `Google Forms could not be reached: ${error instanceof Error ? error.message : String(error)}` };
    }
    if (res.kind === 'failed') return unreachable('Google Forms', res);
    return outcomeOf(res.status, res.header('location'), res.retryAfter, res.text);
  },
});
