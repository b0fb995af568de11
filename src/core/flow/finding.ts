/**
 * Findings: what the validator reports. Expected validation failures are
 * arrays of findings, never exceptions.
 *
 * `code` is Meta's error code where Meta has one (see Meta's "Flow JSON error
 * codes" page, spec §1.12), otherwise a project code prefixed `FB_`.
 * `pointer` is an RFC 6901 JSON pointer into the Flow JSON document.
 * @module
 */

/** Errors block publishing; warnings (frozen version, near a limit) do not. */
export type Severity = 'error' | 'warning';

/** One problem found in a Flow JSON document. */
export interface Finding {
  code: string;
  severity: Severity;
  message: string;
  pointer: string;
}

/** Line/column span in the source text, 1-based, as Meta's `validation_errors` give it. */
export interface SourceSpan {
  line_start: number;
  line_end: number;
  column_start: number;
  column_end: number;
}

/** A finding placed in the source text it came from. */
export interface LocatedFinding extends Finding {
  span?: SourceSpan;
}

/** One segment of a JSON pointer. */
export type PathSegment = string | number;

/** Escape one pointer segment (RFC 6901: `~` → `~0`, `/` → `~1`). */
export function escapePointerSegment(segment: PathSegment): string {
  // Fast path: pointers are built for every visited node, and almost no key needs escaping.
  if (typeof segment === 'number') return String(segment);
  if (segment.indexOf('~') === -1 && segment.indexOf('/') === -1) return segment;
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Build a JSON pointer from segments: `['screens', 0, 'id']` → `/screens/0/id`. */
export function toPointer(segments: readonly PathSegment[]): string {
  let pointer = '';
  for (const s of segments) pointer += `/${escapePointerSegment(s)}`;
  return pointer;
}

/** Append segments to an existing pointer. */
export function childPointer(pointer: string, ...segments: PathSegment[]): string {
  return pointer + toPointer(segments);
}

/** Split a JSON pointer back into its (unescaped) segments. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Sink for findings, shared by all validation rules. */
export class FindingList {
  readonly items: Finding[] = [];

  error(code: string, pointer: string, message: string): void {
    this.items.push({ code, severity: 'error', message, pointer });
  }

  warning(code: string, pointer: string, message: string): void {
    this.items.push({ code, severity: 'warning', message, pointer });
  }

  get errorCount(): number {
    return this.items.filter((f) => f.severity === 'error').length;
  }
}
