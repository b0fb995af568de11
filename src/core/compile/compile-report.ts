/**
 * The compile report: every loss, approximation and truncation the compiler
 * made, with its reason. A WhatsApp Flow cannot express everything a web form
 * can; the report makes each difference visible so nothing is dropped
 * silently.
 * @module
 */

/** How much a difference matters: `loss` = something of the source form is not enforced or shown at all. */
export type ReportSeverity = 'info' | 'warning' | 'loss';

/** What kind of difference an entry describes. */
export type ReportKind =
  | 'truncated'
  | 'approximated'
  | 'dropped'
  | 'server-validated'
  | 'endpoint-required'
  | 'server-side'
  | 'split'
  | 'version';

/** One report entry. `fieldId` is the FormModel field (or page) concerned, `''` for the whole form. */
export interface ReportEntry {
  severity: ReportSeverity;
  kind: ReportKind;
  fieldId: string;
  message: string;
}

/** Collects report entries while compiling. */
export class CompileReport {
  readonly entries: ReportEntry[] = [];

  /** Record one difference. */
  add(severity: ReportSeverity, kind: ReportKind, fieldId: string, message: string): void {
    this.entries.push({ severity, kind, fieldId, message });
  }
}

/**
 * Fit a text into a Meta length limit (Meta, "Components": labels, titles,
 * descriptions have maximum lengths). A longer text is cut at a word boundary
 * where possible and ends with an ellipsis; every cut is reported.
 */
export function fitText(text: string, max: number, report: CompileReport, fieldId: string, what: string): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  let cut = clean.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  if (space >= Math.floor(max / 2)) cut = cut.slice(0, space);
  const out = `${cut.trimEnd()}…`;
  report.add('warning', 'truncated', fieldId, `${what} cut to ${max} characters: "${out}" (full text: "${clean}").`);
  return out;
}
