/**
 * SurveyMonkey sink: each submission becomes a completed response on the
 * survey's collector (`POST /collectors/{id}/responses`, scope
 * `responses_write`, paid plan; SurveyMonkey API v3 "Create a response").
 * The API takes no idempotency key: a retry after an attempt that may have
 * landed first looks for a response with the same answers created since
 * (`find-earlier-response.ts`; `checkBeforeWrite: false` turns it off).
 * @module
 */
import { z } from 'zod';
import type { FormModel } from '../../core/form/index.js';
import { classifyStatus, defineSink, withNamedField, type DeliveryOutcome } from '../sink-connector.js';
import { settleEarlierAttempt } from '../earlier-attempt.js';
import { senderOf, unreachable, type AttemptResponse, type AttemptResult } from '../http/http-sender.js';
import { encodeSurveyResponse } from './encode-survey-response.js';
import { findEarlierResponse } from './find-earlier-response.js';

const settingsSchema = z.object({
  /** US by default; EU accounts use `https://api.eu.surveymonkey.com/v3`, Canada `https://api.surveymonkey.ca/v3`. */
  baseUrl: z.url().default('https://api.surveymonkey.com/v3'),
  /** OAuth access token with `responses_write`. */
  accessToken: z.string().min(1),
  /** Overrides the weblink collector found when the survey was imported. */
  collectorId: z.string().min(1).optional(),
  /** Recorded as the response's IP address (the respondent's is unknown in WhatsApp). */
  ipAddress: z.string().optional(),
  /** On a retry, look for the response an earlier attempt may have created (needs `responses_read_detail`). */
  checkBeforeWrite: z.boolean().default(true),
  timeoutMs: z.number().int().positive().default(30_000),
});

const ATTEMPT_STEP = 'surveymonkey:first-post-at';

/** Settings of the SurveyMonkey sink. */
export type SurveyMonkeySinkSettings = z.infer<typeof settingsSchema>;

function collectorFor(form: FormModel, settings: SurveyMonkeySinkSettings): string | undefined {
  const meta = form.source.meta?.['collectorId'];
  return settings.collectorId ?? (typeof meta === 'string' && meta !== '' ? meta : undefined);
}

function checkForm(form: FormModel, settings: SurveyMonkeySinkSettings): string[] {
  const problems: string[] = [];
  if (collectorFor(form, settings) === undefined) problems.push('No collector to write responses to: re-import the survey with its collectors or set collectorId.');
  const files = form.pages.flatMap((p) => p.fields).filter((f) => f.type === 'file');
  if (files.length > 0) problems.push(`SurveyMonkey's API does not take file uploads (${files.map((f) => `'${f.label}'`).join(', ')}).`);
  return problems;
}

/** The outcome of a non-2xx answer, with SurveyMonkey's own message and the question it names. */
function failure(form: FormModel, res: AttemptResponse): DeliveryOutcome {
  const { status, text } = res;
  let message = `SurveyMonkey answered HTTP ${status}.`;
  try {
    const e = (JSON.parse(text) as { error?: { message?: unknown; id?: unknown } }).error;
    if (e && typeof e.message === 'string') message = typeof e.id === 'string' ? `${e.message} (error ${e.id})` : e.message;
  } catch {
    // not JSON: keep the status line
  }
  const retryAfter = res.retryAfter ?? res.header('x-ratelimit-app-global-minute-reset');
  return withNamedField(classifyStatus(status, message, retryAfter), form, /question '?(\d+)/i, 'questionId');
}

/** The SurveyMonkey collector-response sink. */
export const surveyMonkeySink = defineSink<SurveyMonkeySinkSettings>({
  id: 'surveymonkey',
  displayName: 'SurveyMonkey',
  settingsSchema,
  checkForm,
  async deliver(ctx, submission) {
    const problems = checkForm(submission.form, ctx.settings);
    const collectorId = collectorFor(submission.form, ctx.settings);
    if (problems.length > 0 || collectorId === undefined) return { kind: 'permanent', reason: problems.join(' ') };
    const encoded = encodeSurveyResponse(submission.form, submission.answers);
    if (!encoded.ok) return { kind: 'permanent', reason: encoded.reason, field: encoded.field };
    const body = ctx.settings.ipAddress ? { ...encoded.body, ip_address: ctx.settings.ipAddress } : encoded.body;
    let res: AttemptResult;
    try {
      const lookup = ctx.settings.checkBeforeWrite
        ? (since: string) => findEarlierResponse({ fetch: ctx.fetch, baseUrl: ctx.settings.baseUrl, token: ctx.settings.accessToken, collectorId, body, since, timeoutMs: ctx.settings.timeoutMs })
        : undefined;
      const settled = await settleEarlierAttempt({ progress: ctx.progress, now: ctx.now, step: ATTEMPT_STEP, lookup, foundNote: 'Found the response created by an earlier attempt.' });
      if (settled) return settled;
      res = await senderOf(ctx).send({
        method: 'POST',
        url: `${ctx.settings.baseUrl.replace(/\/+$/, '')}/collectors/${encodeURIComponent(collectorId)}/responses`,
        headers: { authorization: `Bearer ${ctx.settings.accessToken}`, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        timeoutMs: ctx.settings.timeoutMs,
      });
    } catch (error) {
      return { kind: 'retry', reason: `SurveyMonkey could not be reached: ${error instanceof Error ? error.message : String(error)}` };
    }
    if (res.kind === 'failed') return unreachable('SurveyMonkey', res);
    if (res.status >= 200 && res.status < 300) {
      let id: string | undefined;
      try {
        const parsed = JSON.parse(res.text) as { id?: unknown };
        id = typeof parsed.id === 'string' ? parsed.id : undefined;
      } catch {
        id = undefined;
      }
      return id === undefined ? { kind: 'delivered' } : { kind: 'delivered', externalId: id };
    }
    return failure(submission.form, res);
  },
});
