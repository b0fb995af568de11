/**
 * PhotoPicker / DocumentPicker answers of a virtual phone: each visible
 * picker the script does not answer gets as many real uploads as it asks
 * for (`min-uploaded-*`, at least one, at most `max-uploaded-*`), replacing
 * the runtime's placeholders. A phone scripted with `badUpload` first sends
 * one file whose MAC is broken, records what the screen shows, then uploads
 * again with good files — the "per-file error, try again" path of spec §3.2.
 * @module
 */
import { autoFill, type FlowRuntime } from '../../core/runtime/index.js';
import { EMULATOR_CDN_PATH } from '../graph-emulator.js';
import type { InvalidAttempt } from './flow-player.js';
import type { PhoneUploads, UploadedItem } from './phone-media.js';

type Answers = Readonly<Record<string, unknown>> | undefined;
/** The behaviour's `files`: JPEG or PDF per picker name. */
type FileChoice = Readonly<Record<string, 'jpeg' | 'pdf'>>;

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** The visible, enabled pickers of the current screen. */
function pickers(runtime: FlowRuntime): { name: string; kind: 'photo' | 'document'; count: number; value: unknown }[] {
  return runtime.view().components.flatMap((c) => {
    if ((c.type !== 'PhotoPicker' && c.type !== 'DocumentPicker') || !c.enabled || c.name === undefined) return [];
    const photo = c.type === 'PhotoPicker';
    const k = c.constraints ?? {};
    const min = num(k[photo ? 'min-uploaded-photos' : 'min-uploaded-documents']) ?? 0;
    const max = num(k[photo ? 'max-uploaded-photos' : 'max-uploaded-documents']) ?? 30;
    return [{ name: c.name, kind: photo ? 'photo' as const : 'document' as const, count: Math.min(Math.max(min, 1), max), value: c.value }];
  });
}

/** True when the current screen has a picker to fill. */
export function hasPicker(runtime: FlowRuntime): boolean {
  return pickers(runtime).length > 0;
}

/** A value this phone uploaded already (kept), as opposed to nothing or the runtime's placeholder. */
function isOwnUpload(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0 && value.every((v: Partial<UploadedItem>) => typeof v?.cdn_url === 'string' && v.cdn_url.includes(EMULATOR_CDN_PATH));
}

/** Give every unscripted picker of the screen fresh uploads (the first file broken with `corrupt`). */
export function attachUploads(runtime: FlowRuntime, uploads: PhoneUploads, scripted: Answers, corrupt = false, files: FileChoice = {}): void {
  for (const p of pickers(runtime)) {
    if (scripted !== undefined && Object.hasOwn(scripted, p.name)) continue;
    if (!corrupt && isOwnUpload(p.value)) continue;
    const kind = files[p.name] === undefined ? p.kind : files[p.name] === 'jpeg' ? 'photo' : 'document';
    runtime.setValue(p.name, uploads.pick(kind, p.count, { corrupt }));
  }
}

/**
 * Fill the screen with one broken upload and press forward once. The
 * server must refuse (outcome `refused`, its per-file message shown); the
 * pickers are then emptied so the next pass uploads good files.
 */
export async function badUploadAttempt(
  runtime: FlowRuntime, uploads: PhoneUploads, scripted: Answers,
  apply: (runtime: FlowRuntime, answers: Answers) => Promise<void>,
  shown: (runtime: FlowRuntime) => Record<string, string>,
  files: FileChoice = {},
): Promise<InvalidAttempt> {
  const screen = runtime.view().screen;
  await apply(runtime, scripted);
  if (runtime.status !== 'active' || runtime.view().screen !== screen) return { screen, outcome: 'accepted', errors: {} };
  attachUploads(runtime, uploads, scripted, true, files);
  const step = await autoFill(runtime, 1);
  if (runtime.status !== 'active' || runtime.view().screen !== screen) return { screen, outcome: 'accepted', errors: {} };
  const errors = step.stuck?.errors && step.stuck.reason !== 'step limit reached' ? { ...step.stuck.errors } : shown(runtime);
  for (const p of pickers(runtime)) runtime.setValue(p.name, undefined);
  return { screen, outcome: 'refused', errors };
}
