/**
 * Google Forms as a form source: Forms API v1 `GET /v1/forms/{formId}`
 * (OAuth 2.0 `Authorization: Bearer`, scope `forms.body.readonly`), forms
 * listed through the Drive API (`GET /drive/v3/files?q=mimeType=…form`,
 * `pageToken`/`nextPageToken`), errors in Google's envelope
 * `{error:{code, message, status}}`.
 *
 * Drive lives on another host (`https://www.googleapis.com`) than the Forms
 * API: `listForms` uses `ctx.driveHttp` when the caller binds one, else
 * `ctx.http` (a proxy or fake serving both).
 * @module
 */
import { z } from 'zod';
import type { HttpClient } from '../http-client.js';
import { defineSource, type FormSummary, type SourceContext } from '../source-connector.js';
import { mapGoogleForm } from './map-google-form.js';

const credentials = z.object({
  /** OAuth 2.0 access token with `forms.body.readonly` (and `drive.metadata.readonly` to list forms). */
  token: z.string().min(1),
});

/** Google Forms credentials: an OAuth access token. */
export type GoogleFormsCredentials = z.infer<typeof credentials>;

/** The Drive API base, for `driveHttp`. */
export const GOOGLE_DRIVE_BASE_URL = 'https://www.googleapis.com';

const rec = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** The Google Forms connector. */
export const googleFormsSource = defineSource<GoogleFormsCredentials>({
  id: 'google-forms',
  displayName: 'Google Forms',
  defaultBaseUrl: 'https://forms.googleapis.com',
  credentialsSchema: credentials,
  authHeaders: (c) => ({ authorization: `Bearer ${c.token}` }),

  async listForms(ctx) {
    const http = (ctx as SourceContext & { driveHttp?: HttpClient }).driveHttp ?? ctx.http;
    const out: FormSummary[] = [];
    const seen = new Set<string>();
    let pageToken: string | undefined;
    do {
      const { body } = await http.get('/drive/v3/files', {
        q: "mimeType='application/vnd.google-apps.form' and trashed=false",
        fields: 'nextPageToken,files(id,name,modifiedTime)',
        pageSize: 1000,
        pageToken,
      });
      const page = rec(body);
      for (const item of Array.isArray(page.files) ? page.files : []) {
        const f = rec(item);
        if (typeof f.id !== 'string') continue;
        out.push({ id: f.id, title: typeof f.name === 'string' ? f.name : f.id, ...(typeof f.modifiedTime === 'string' ? { updatedAt: f.modifiedTime } : {}) });
      }
      const next = page.nextPageToken;
      pageToken = typeof next === 'string' && next !== '' && !seen.has(next) ? next : undefined;
      if (pageToken !== undefined) seen.add(pageToken);
    } while (pageToken !== undefined);
    return out;
  },

  async fetchDefinition(ctx, formId) {
    const { body } = await ctx.http.get(`/v1/forms/${encodeURIComponent(formId)}`);
    return body;
  },

  mapDefinition: mapGoogleForm,

  errorMessage(status, body) {
    const error = rec(rec(body).error);
    if (typeof error.message === 'string') return typeof error.status === 'string' ? `${error.message} (${error.status})` : error.message;
    return typeof body === 'string' && body !== '' ? body : `HTTP ${status}`;
  },
});
