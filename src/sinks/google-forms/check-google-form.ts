/**
 * Configuration-time refusal for the Google Forms sink: the public
 * `formResponse` POST works only for a published form that accepts
 * responses and needs no Google sign-in. File-upload questions, verified
 * e-mail collection, "Restrict to users in <domain>" and "Limit to 1
 * response" all need a signed-in session (spec "Form sources" §2.3); the
 * last two are not exposed by the Forms API, so the operator declares them.
 * @module
 */
import type { FormModel } from '../../core/form/index.js';

/** What the check needs from the sink settings. */
export interface GoogleFormCheckSettings {
  readonly publishedId?: string | undefined;
  readonly signInRequired?: boolean | undefined;
}

/** The published `1FAIpQL…` id to post to: the settings' override, else the form's metadata. */
export function publishedIdFor(form: FormModel, settings: GoogleFormCheckSettings): string | undefined {
  const fromMeta = form.source.meta?.['publishedId'];
  return settings.publishedId ?? (typeof fromMeta === 'string' && fromMeta !== '' ? fromMeta : undefined);
}

/** Every reason this form cannot take an anonymous `formResponse` POST (empty = it can). */
export function checkGoogleForm(form: FormModel, settings: GoogleFormCheckSettings): string[] {
  const problems: string[] = [];
  const meta = form.source.meta ?? {};
  if (publishedIdFor(form, settings) === undefined) {
    problems.push('The published form id (the 1FAIpQL… part of the form\'s responder link) is unknown: import the form from Google Forms or set publishedId.');
  }
  const files = form.pages.flatMap((p) => p.fields).filter((f) => f.type === 'file');
  if (files.length > 0) {
    problems.push(`The form has file-upload questions (${files.map((f) => `'${f.label}'`).join(', ')}): Google accepts them only from a signed-in Google account, so answers cannot be posted to this form. Deliver to the linked Google Sheet instead.`);
  }
  if (meta['emailCollectionType'] === 'VERIFIED') {
    problems.push('The form collects verified e-mail addresses: that needs a signed-in Google account, so answers cannot be posted to this form.');
  }
  if (meta['isAcceptingResponses'] === false) problems.push('The form is not accepting responses.');
  if (settings.signInRequired === true) {
    problems.push('The form requires sign-in (restricted to a domain or limited to one response per person), so answers cannot be posted to it.');
  }
  return problems;
}
