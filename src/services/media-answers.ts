/**
 * Picker answers of a compiled form through the media intake (spec §3.1–3.2;
 * Meta, "Media upload"): the PhotoPicker / DocumentPicker values a
 * data_exchange carries point at encrypted files on WhatsApp's CDN. Each is
 * downloaded, verified, decrypted and stored by {@link MediaIntake}, recorded
 * in `flow_media` with its flow_token and field (already downloaded), and the
 * answer is replaced by references to the stored files, so neither the CDN
 * URL nor the file's keys reach the submission. A bad file is a per-file
 * screen error, keyed by `media_id` (the object form of `error-message`).
 * @module
 */
import type { FieldMap, FieldMapEntry } from '../core/compile/field-map.js';
import type { FormModel } from '../core/form/form-model.js';
import type { FlowMediaRepo } from '../store/repos/flow-media-repo.js';
import type { MediaIntake } from './media-intake.js';
import type { StoredMedia } from './media-store.js';

/** What the compiled-form handler needs to take files in. */
export interface PickerMediaDeps {
  readonly intake: Pick<MediaIntake, 'acceptPickerFiles'>;
  /** Where the files of a session are listed for delivery (`flow_media`); optional in tests. */
  readonly repo?: Pick<FlowMediaRepo, 'addMedia' | 'markDownloaded'>;
}

/** A picker answer after intake: what the submission and the sinks see. */
export interface StoredMediaReference {
  readonly media_id: string;
  readonly file_name: string | null;
  readonly mime_type: string | null;
  readonly size: number;
  /** Base64 SHA-256 of the decrypted file. */
  readonly sha256: string;
  /** Always true: the bytes are in the media store under `media_id`. */
  readonly stored: true;
}

/**
 * Outcome of {@link takePickerFiles}: the request data with references in
 * place of the accepted picker items, and on failure also the screen error
 * (`data` then still holds the refused pickers' raw items under their names).
 */
export type PickerFilesResult =
  | { readonly ok: true; readonly data: Record<string, unknown> }
  | { readonly ok: false; readonly data: Record<string, unknown>; readonly message: string; readonly fieldErrors: Record<string, Record<string, string>> };

function reference(file: StoredMedia, mimeType: string | null): StoredMediaReference {
  return { media_id: file.id, file_name: file.fileName, mime_type: file.mimeType ?? mimeType, size: file.size, sha256: file.sha256, stored: true };
}

/** True for a raw picker item as WhatsApp sends it (references we made earlier are left alone). */
function isRawItem(item: unknown): boolean {
  return typeof item === 'object' && item !== null && 'cdn_url' in item;
}

function pickerLimits(e: FieldMapEntry, model: FormModel | undefined): { maxFiles?: number; maxFileBytes?: number; allowedMimeTypes?: readonly string[] } {
  const file = model?.pages.flatMap((p) => p.fields).find((f) => f.id === e.fieldId)?.file;
  return {
    ...(file?.maxFiles === undefined ? {} : { maxFiles: file.maxFiles }),
    ...(file?.maxSizeKb === undefined ? {} : { maxFileBytes: file.maxSizeKb * 1024 }),
    ...(file?.mimeTypes === undefined || file.mimeTypes.length === 0 ? {} : { allowedMimeTypes: file.mimeTypes }),
  };
}

/**
 * Take in every picker value of `data` (fields of type media): all files of
 * the request are stored, or none of a failing field is and its files get
 * their messages. Only a failing store or database rejects.
 */
export async function takePickerFiles(
  deps: PickerMediaDeps, fieldMap: FieldMap, model: FormModel | undefined, flowToken: string, data: Readonly<Record<string, unknown>>,
): Promise<PickerFilesResult> {
  const out: Record<string, unknown> = { ...data };
  const fieldErrors: Record<string, Record<string, string>> = {};
  let message = '';
  for (const e of fieldMap.fields) {
    const name = e.flowName;
    if (e.valueType !== 'media' || name === undefined || !Object.hasOwn(data, name)) continue;
    const value = data[name];
    const items = typeof value === 'string' || Array.isArray(value) ? value : undefined;
    if (items === undefined || (Array.isArray(items) && (items.length === 0 || !items.some(isRawItem)))) continue;
    const result = await deps.intake.acceptPickerFiles(items, { ...pickerLimits(e, model), flowToken });
    if (!result.ok) {
      fieldErrors[name] = result.errors;
      message ||= result.message;
      continue;
    }
    const raw = (Array.isArray(items) ? items : []) as unknown[];
    out[name] = result.files.map((file, i) => {
      const item = raw[i];
      const mime = typeof item === 'object' && item !== null && typeof (item as { mime_type?: unknown }).mime_type === 'string' ? (item as { mime_type: string }).mime_type : null;
      return reference(file, mime);
    });
    if (deps.repo !== undefined) {
      for (const file of result.files) {
        await deps.repo.addMedia({ mediaId: file.id, flowToken, field: name, fileName: file.fileName ?? undefined, mimeType: file.mimeType ?? undefined, sha256: file.sha256 });
        await deps.repo.markDownloaded(file.id);
      }
    }
  }
  if (Object.keys(fieldErrors).length > 0) return { ok: false, data: out, message, fieldErrors };
  return { ok: true, data: out };
}
