/**
 * Meta's `validation_errors` (spec §7.3; Flows API, "Validation errors"):
 * what Meta found wrong in an uploaded Flow JSON, with 1-based line/column
 * spans and `pointers[].path` in dotted/bracket form
 * (`screens[0].layout.children[0].type`). Both directions are here so the
 * emulator speaks the same shape the client reads, and `publish` can map
 * Meta's errors back to the local file's lines.
 * @module
 */
import { z } from 'zod';
import { parsePointer, toPointer, type PathSegment } from '../../core/flow/finding.js';

/** One entry of `pointers`. */
export interface ValidationPointer {
  readonly path: string;
  readonly line_start?: number;
  readonly line_end?: number;
  readonly column_start?: number;
  readonly column_end?: number;
}

/** One entry of `validation_errors`, as Meta sends it. */
export interface FlowValidationError {
  readonly error: string;
  readonly error_type: string;
  readonly message: string;
  readonly line_start?: number;
  readonly line_end?: number;
  readonly column_start?: number;
  readonly column_end?: number;
  readonly pointers?: readonly ValidationPointer[];
}

const position = { line_start: z.number().optional(), line_end: z.number().optional(), column_start: z.number().optional(), column_end: z.number().optional() };

/** Lenient schema: unknown keys kept, absent spans allowed. */
export const flowValidationErrorSchema = z.looseObject({
  error: z.string(),
  error_type: z.string(),
  message: z.string(),
  ...position,
  pointers: z.array(z.looseObject({ path: z.string(), ...position })).optional(),
});

const SEGMENT = /^([^.[\]]+)|^\.([^.[\]]+)|^\[(\d+)\]|^\['([^']*)'\]/;

/**
 * `screens[0].layout.children[1].type` → `/screens/0/layout/children/1/type`.
 * Returns undefined when the path is not of that form.
 */
export function validationPathToPointer(path: string): string | undefined {
  const segments: PathSegment[] = [];
  let rest = path;
  if (rest === '') return '';
  while (rest.length > 0) {
    const m = SEGMENT.exec(rest);
    if (!m) return undefined;
    const key = m[1] ?? m[2] ?? m[4];
    segments.push(key !== undefined ? key : Number(m[3]));
    rest = rest.slice(m[0].length);
  }
  return toPointer(segments);
}

/** `/screens/0/layout/children/1/type` → `screens[0].layout.children[1].type` (keys that are not names are quoted). */
export function pointerToValidationPath(pointer: string): string {
  let path = '';
  for (const segment of parsePointer(pointer)) {
    if (/^(0|[1-9]\d*)$/.test(segment)) path += `[${segment}]`;
    else if (/^[^.[\]']+$/.test(segment)) path += path === '' ? segment : `.${segment}`;
    else path += `['${segment}']`;
  }
  return path;
}

/** A validation error with the JSON pointers its paths name, for mapping onto a local file. */
export interface LocatedValidationError extends FlowValidationError {
  /** JSON pointers of `pointers[].path` that could be read. */
  readonly jsonPointers: readonly string[];
}

/** Read `validation_errors` from a reply (entries of the wrong shape are skipped). */
export function parseValidationErrors(value: unknown): LocatedValidationError[] {
  if (!Array.isArray(value)) return [];
  const out: LocatedValidationError[] = [];
  for (const item of value) {
    const parsed = flowValidationErrorSchema.safeParse(item);
    if (!parsed.success) continue;
    const jsonPointers = (parsed.data.pointers ?? []).map((p) => validationPathToPointer(p.path)).filter((p): p is string => p !== undefined);
    out.push({ ...parsed.data, jsonPointers });
  }
  return out;
}
