/**
 * Upload each document to HubSpot's Files API as PRIVATE (the URL needs
 * authentication; HubSpot "Files API": `POST /files/v3/files`, multipart
 * `file`, `folderPath`, `fileName`, `options` JSON with `access`). Each file
 * id is saved in the progress store the moment HubSpot returns it, so a
 * retry never uploads it again; a lost upload answer is covered by the
 * duplicate strategy (RETURN_EXISTING by default) in a per-submission folder.
 * @module
 */
import type { DeliveryContext, DeliveryOutcome, SubmissionFile } from '../sink-connector.js';
import { crmRequest, field, idOf } from './crm-request.js';
import type { HubspotCrmSettings } from './crm-settings.js';

/** One uploaded document. */
export interface UploadedFile {
  readonly fieldKey: string;
  readonly id: string;
}

/** File names without their extension (HubSpot appends it), made unique per submission. */
export function uploadNames(files: readonly SubmissionFile[]): string[] {
  const used = new Set<string>();
  return files.map((f) => {
    const base = f.fileName.replace(/\.[A-Za-z0-9]{1,8}$/, '').replace(/[\\/]/g, '_') || 'document';
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}-${n}`;
    used.add(name);
    return name;
  });
}

/** Upload every file not uploaded yet; ids in submission order. */
export async function uploadDocuments(ctx: DeliveryContext<HubspotCrmSettings>, files: readonly SubmissionFile[], folderPath: string): Promise<{ ok: true; files: UploadedFile[] } | { ok: false; outcome: DeliveryOutcome }> {
  const names = uploadNames(files);
  const out: UploadedFile[] = [];
  for (const [i, file] of files.entries()) {
    const step = `file:${i}`;
    const saved = await ctx.progress.get(step);
    if (saved !== undefined) {
      out.push({ fieldKey: file.fieldKey, id: saved });
      continue;
    }
    let bytes: Uint8Array;
    try {
      bytes = await file.read();
    } catch {
      return { ok: false, outcome: { kind: 'retry', reason: `Could not read document ${i + 1} (${file.fieldKey}) from the media store.` } };
    }
    const form = new FormData();
    form.append('file', new Blob([bytes], { type: file.mimeType }), file.fileName);
    form.append('folderPath', folderPath);
    form.append('fileName', names[i] ?? 'document');
    form.append('options', JSON.stringify({ access: 'PRIVATE', overwrite: false, duplicateValidationStrategy: ctx.settings.duplicateValidationStrategy, duplicateValidationScope: 'EXACT_FOLDER' }));
    const res = await crmRequest(ctx, 'POST', '/files/v3/files', form);
    if (!res.ok) return res;
    const id = idOf(field(res.body, 'id'));
    if (id === undefined) return { ok: false, outcome: { kind: 'retry', reason: 'HubSpot answered the upload without a file id.' } };
    await ctx.progress.set(step, id);
    out.push({ fieldKey: file.fieldKey, id });
  }
  return { ok: true, files: out };
}
