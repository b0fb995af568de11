/**
 * The view of a PhotoPicker / DocumentPicker: the files it holds and the
 * message under each. Meta's `error-message` of a picker may be a string
 * (for the whole picker) or an object `{ "<media_id>": "message" }` given
 * through dynamic data (spec §1.9, §3.1); in the object form a message is
 * shown on the file with that `media_id`, and only while the picker still
 * holds that file (a file chosen again has a new id, so its old message goes).
 * @module
 */
import { isObject } from '../flow/json.js';

/** One file held by a picker. */
export interface PickerFileView {
  mediaId: string;
  fileName?: string;
  /** The endpoint's message for this file (object-form `error-message`). */
  error?: string;
}

/** The media id and file name of each descriptor a picker holds (spec §3.1 items). */
function heldFiles(value: unknown): PickerFileView[] {
  if (!Array.isArray(value)) return [];
  const out: PickerFileView[] = [];
  for (const item of value) {
    if (!isObject(item) || typeof item.media_id !== 'string') continue;
    out.push({ mediaId: item.media_id, ...(typeof item.file_name === 'string' ? { fileName: item.file_name } : {}) });
  }
  return out;
}

/**
 * The files of a picker with their messages. `serverError` is the resolved
 * `error-message` (undefined when absent or dismissed by editing).
 * @example
 * pickerFiles([{ media_id: 'm1', file_name: 'id.jpg' }], { m1: 'Choose it again.' })
 * // [{ mediaId: 'm1', fileName: 'id.jpg', error: 'Choose it again.' }]
 */
export function pickerFiles(value: unknown, serverError: unknown): PickerFileView[] {
  const files = heldFiles(value);
  if (!isObject(serverError)) return files;
  return files.map((f) => {
    const message = Object.hasOwn(serverError, f.mediaId) ? serverError[f.mediaId] : undefined;
    return typeof message === 'string' && message !== '' ? { ...f, error: message } : f;
  });
}

/** The text under the picker for an object-form `error-message`: the messages of the files it holds, in order. */
export function pickerErrorText(files: readonly PickerFileView[]): string | undefined {
  const messages = files.flatMap((f) => (f.error === undefined ? [] : [f.error]));
  return messages.length === 0 ? undefined : messages.join(' ');
}
