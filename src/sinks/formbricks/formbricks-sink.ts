/**
 * Formbricks sink: each submission becomes a finished response of the
 * survey. Without an API key it posts to the public client API (what the
 * Formbricks widget uses, so webhooks and integrations run); with an
 * environment API key it uses the management API, which can also list
 * responses: a retry after an attempt whose answer was lost first looks for
 * a response with the same data created since that attempt (check before
 * writing). The client API cannot read, so a lost response there may be
 * written twice.
 * @module
 */
import { z } from 'zod';
import type { FormModel } from '../../core/form/index.js';
import { classifyStatus, defineSink, type DeliveryOutcome } from '../sink-connector.js';
import { settleEarlierAttempt } from '../earlier-attempt.js';
import { senderOf, unreachable } from '../http/http-sender.js';
import { encodeFormbricksData } from './encode-formbricks-response.js';
import { findEarlierResponse } from './find-earlier-response.js';

const settingsSchema = z.object({
  /** Self-hosted instance or the cloud. */
  baseUrl: z.url().default('https://app.formbricks.com'),
  /** Management API key (`x-api-key`); absent = public client API. */
  apiKey: z.string().min(1).optional(),
  /** Override the ids found when the survey was imported. */
  environmentId: z.string().min(1).optional(),
  surveyId: z.string().min(1).optional(),
  /** Response language code (`default` = the survey's default language). */
  language: z.string().min(1).optional(),
  /** `meta.source` and `meta.url` of the response, telling it came from WhatsApp. */
  metaSource: z.string().min(1).default('whatsapp'),
  metaUrl: z.url().optional(),
  timeoutMs: z.number().int().positive().default(30_000),
});

/** Settings of the Formbricks sink. */
export type FormbricksSinkSettings = z.infer<typeof settingsSchema>;

const ATTEMPT_STEP = 'formbricks:first-attempt-at';
const metaString = (form: FormModel, key: string): string | undefined => {
  const v = form.source.meta?.[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
};

function ids(form: FormModel, s: FormbricksSinkSettings): { surveyId?: string; environmentId?: string } {
  const surveyId = s.surveyId ?? form.source.formId;
  const environmentId = s.environmentId ?? metaString(form, 'environmentId');
  return { ...(surveyId ? { surveyId } : {}), ...(environmentId ? { environmentId } : {}) };
}

function checkForm(form: FormModel, settings: FormbricksSinkSettings): string[] {
  const { surveyId, environmentId } = ids(form, settings);
  const problems: string[] = [];
  if (surveyId === undefined) problems.push('The Formbricks survey id is unknown: import the survey from Formbricks or set surveyId.');
  if (settings.apiKey === undefined && environmentId === undefined) problems.push('The Formbricks environment id is unknown (needed by the client API): import the survey or set environmentId, or give a management API key.');
  const files = form.pages.flatMap((p) => p.fields).filter((f) => f.type === 'file');
  if (files.length > 0) problems.push(`Files cannot be uploaded to Formbricks storage by this sink (${files.map((f) => `'${f.label}'`).join(', ')}).`);
  return problems;
}

/** The outcome of an error answer, with Formbricks' own message and details. */
function failure(form: FormModel, status: number, text: string, retryAfter: string | null): DeliveryOutcome {
  let reason = `Formbricks answered HTTP ${status}.`;
  let field: string | undefined;
  try {
    const e = JSON.parse(text) as { message?: unknown; details?: unknown };
    const details = e.details !== null && typeof e.details === 'object' ? Object.entries(e.details as Record<string, unknown>) : [];
    if (typeof e.message === 'string') reason = details.length > 0 ? `${e.message} (${details.map(([k, v]) => `${k}: ${String(v)}`).join('; ')})` : e.message;
    const keys = new Set(form.pages.flatMap((p) => p.fields).map((f) => f.key));
    field = details.map(([k]) => k).find((k) => keys.has(k));
  } catch {
    // not JSON
  }
  const out = classifyStatus(status, reason, retryAfter);
  return out.kind === 'permanent' && field !== undefined ? { ...out, field } : out;
}

/** The Formbricks response sink. */
export const formbricksSink = defineSink<FormbricksSinkSettings>({
  id: 'formbricks',
  displayName: 'Formbricks',
  settingsSchema,
  checkForm,
  async deliver(ctx, submission) {
    const s = ctx.settings;
    const problems = checkForm(submission.form, s);
    const { surveyId, environmentId } = ids(submission.form, s);
    if (problems.length > 0 || surveyId === undefined) return { kind: 'permanent', reason: problems.join(' ') };
    const encoded = encodeFormbricksData(submission.form, submission.answers);
    if (!encoded.ok) return { kind: 'permanent', reason: encoded.reason, field: encoded.field };
    const base = s.baseUrl.replace(/\/+$/, '');
    const body = { surveyId, finished: true, ...(s.language ? { language: s.language } : {}), data: encoded.data, meta: { ...(s.metaUrl ? { url: s.metaUrl } : {}), source: s.metaSource } };
    try {
      const apiKey = s.apiKey;
      if (apiKey !== undefined) {
        const lookup = (since: string) => findEarlierResponse({ fetch: ctx.fetch, base, apiKey, surveyId, data: encoded.data, since, timeoutMs: s.timeoutMs });
        const settled = await settleEarlierAttempt({ progress: ctx.progress, now: ctx.now, step: ATTEMPT_STEP, lookup, foundNote: 'Found the response written by an earlier attempt.' });
        if (settled) return settled;
      }
      const url = s.apiKey !== undefined ? `${base}/api/v1/management/responses` : `${base}/api/v1/client/${encodeURIComponent(environmentId ?? '')}/responses`;
      const res = await senderOf(ctx).send({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json', accept: 'application/json', ...(s.apiKey !== undefined ? { 'x-api-key': s.apiKey } : {}) },
        body: JSON.stringify(body),
        timeoutMs: s.timeoutMs,
      });
      if (res.kind === 'failed') return unreachable('Formbricks', res);
      const text = res.text;
      if (res.status < 200 || res.status >= 300) return failure(submission.form, res.status, text, res.retryAfter);
      let id: unknown;
      try {
        id = (JSON.parse(text) as { data?: { id?: unknown } }).data?.id;
      } catch {
        id = undefined;
      }
      return typeof id === 'string' ? { kind: 'delivered', externalId: id } : { kind: 'delivered' };
    } catch (error) {
      return { kind: 'retry', reason: `Formbricks could not be reached: ${error instanceof Error ? error.message : String(error)}` };
    }
  },
});
