/**
 * HubSpot form submissions (Forms API v3 "Submit data to a form"): the
 * answers go in as a submission of the original form, so HubSpot runs the
 * same form-based workflows, lifecycle rules and notifications as for a web
 * submission. Uses the authenticated `secure/submit` endpoint when a token
 * is configured (higher rate limits), the public one otherwise. HubSpot
 * takes no idempotency key and offers no way to look a submission up before
 * writing, so a retry after a lost response submits twice (HubSpot
 * deduplicates the contact by email, not the submission).
 * @module
 */
import { z } from 'zod';
import { defineSink } from '../sink-connector.js';
import { senderOf } from '../http/http-sender.js';
import { encodeHubspotSubmission, formFields } from './encode-hubspot-submission.js';
import { hubspotOutcome } from './hubspot-error.js';

const settings = z.object({
  /** HubSpot account (hub) id. */
  portalId: z.string().regex(/^\d+$/, 'the numeric HubSpot account id'),
  /** Private app or OAuth token (scope `forms`); without it the public endpoint is used. */
  token: z.string().min(1).optional(),
  /** Shown as the page the form was submitted on. */
  pageUri: z.url().default('https://wa.me/'),
  pageName: z.string().min(1).optional(),
  sendSubmittedAt: z.boolean().default(true),
  ipAddress: z.string().optional(),
  baseUrl: z.url().default('https://api.hsforms.com'),
  timeoutMs: z.number().int().positive().optional(),
});

/** HubSpot form-submission settings (after defaults). */
export type HubspotFormsSettings = z.infer<typeof settings>;

/** The form guid the submission goes to. */
function formGuid(form: { source: { formId?: string; meta?: Record<string, unknown> } }): string | undefined {
  const g = form.source.meta?.formGuid;
  return typeof g === 'string' && g !== '' ? g : form.source.formId;
}

/** The HubSpot form-submission sink. */
export const hubspotFormsSink = defineSink<HubspotFormsSettings>({
  id: 'hubspot-forms',
  displayName: 'HubSpot form submission',
  settingsSchema: settings,
  checkForm(form) {
    const problems: string[] = [];
    if (form.source.system !== 'hubspot') problems.push(`This form was imported from ${form.source.system}, not HubSpot: there is no HubSpot form to submit it to.`);
    else if (formGuid(form) === undefined) problems.push('The form has no HubSpot form id (source.formId).');
    for (const f of formFields(form)) {
      if (f.type === 'file' && f.required && f.visibleWhen === undefined) {
        problems.push(`Required file field '${f.key}': HubSpot's submission API takes no files, so every submission would fail with REQUIRED_FIELD. Use the hubspot-crm sink (Files API) or make the field optional.`);
      }
    }
    return problems;
  },
  async deliver(ctx, submission) {
    const s = ctx.settings;
    const guid = formGuid(submission.form);
    if (guid === undefined) return { kind: 'permanent', reason: 'The form has no HubSpot form id (source.formId).' };
    const body = encodeHubspotSubmission(submission, {
      pageUri: s.pageUri,
      sendSubmittedAt: s.sendSubmittedAt,
      ...(s.pageName === undefined ? {} : { pageName: s.pageName }),
      ...(s.ipAddress === undefined ? {} : { ipAddress: s.ipAddress }),
    });
    const path = s.token === undefined ? 'integration/submit' : 'integration/secure/submit';
    const res = await senderOf(ctx).send({
      method: 'POST',
      url: `${s.baseUrl.replace(/\/$/, '')}/submissions/v3/${path}/${encodeURIComponent(s.portalId)}/${encodeURIComponent(guid)}`,
      headers: { 'content-type': 'application/json', ...(s.token === undefined ? {} : { authorization: `Bearer ${s.token}` }) },
      body: JSON.stringify(body),
      ...(s.timeoutMs === undefined ? {} : { timeoutMs: s.timeoutMs }),
    });
    if (res.kind === 'failed') return res.outcome;
    const outcome = hubspotOutcome(res.status, res.text, res.retryAfter, ctx.now());
    if (outcome.kind !== 'delivered') return outcome;
    const files = submission.files.length;
    return files === 0 ? outcome : { kind: 'delivered', note: `${files} file(s) not sent: HubSpot's submission API takes no files.` };
  },
});
