/**
 * The validator's entry point for Flow JSON *text* (files, editor buffers,
 * API bodies): size limit, parsing with positions, then {@link validateFlow},
 * with every finding placed at a line/column span like Meta's
 * `validation_errors` (Flows API, "Validation errors"): the value the
 * finding's pointer names, the key for unknown-property findings, the
 * nearest existing ancestor for missing properties.
 * @module
 */
import type { Finding, LocatedFinding } from '../finding.js';
import { JsonSyntaxError } from '../source/json-syntax-error.js';
import { parseJsonWithSource, type ParsedSource } from '../source/parse-json-with-source.js';
import { validateFlow, type ValidateOptions } from './validate-flow.js';

/**
 * Largest Flow JSON Meta accepts ("Flow JSON", Limitations: 10 MB). Read as
 * 10,000,000 UTF-8 bytes, the stricter of 10 MB and 10 MiB.
 */
export const MAX_FLOW_JSON_BYTES = 10_000_000;

/** What {@link validateFlowText} returns. */
export interface TextValidationResult {
  /** True when no finding is an error (warnings allowed). */
  readonly valid: boolean;
  /** Size and parse problems first, then duplicate keys, then the validator's findings. */
  readonly findings: readonly LocatedFinding[];
  /** The version validated against, when the text parsed and the version could be determined. */
  readonly version: string | undefined;
}

/**
 * Validate Flow JSON text. Never throws: unparsable text gives one
 * `INVALID_FLOW_JSON` finding placed where parsing stopped.
 * @example
 * const { valid, findings } = validateFlowText(await readFile('flow.json', 'utf8'));
 */
export function validateFlowText(text: string, options: ValidateOptions = {}): TextValidationResult {
  const findings: LocatedFinding[] = [];
  const oversize = oversizeBytes(text);
  let parsed: ParsedSource;
  try {
    parsed = parseJsonWithSource(text);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    if (oversize !== undefined) findings.push({ ...sizeFinding(oversize), span: { line_start: 1, column_start: 1, line_end: 1, column_end: 1 } });
    const span = { line_start: error.line, column_start: error.column, line_end: error.line, column_end: error.column + 1 };
    const hint = error.offset === 0 && text.charCodeAt(0) === 0xfeff ? ' (the text starts with a byte order mark: save it as UTF-8 without BOM)' : '';
    findings.push({ code: 'INVALID_FLOW_JSON', severity: 'error', message: `Flow JSON is not valid. ${error.message}${hint}`, pointer: '', span });
    return { valid: false, findings, version: undefined };
  }
  const { map } = parsed;
  if (oversize !== undefined) findings.push({ ...sizeFinding(oversize), span: map.locate('').span });
  for (const duplicate of parsed.duplicateKeys) {
    findings.push({
      code: 'FB_DUPLICATE_KEY',
      severity: 'warning',
      message: `Property '${duplicate.key}' is defined more than once in the same object; only the last definition is used.`,
      pointer: duplicate.pointer,
      span: duplicate.span,
    });
  }
  const result = validateFlow(parsed.value, options);
  for (const finding of result.findings) {
    const where = map.locate(finding.pointer);
    // A finding about a key that may not be there is best shown on the key itself.
    const span = finding.code === 'INVALID_PROPERTY_KEY' && where.exact ? (where.keySpan ?? where.span) : where.span;
    findings.push({ ...finding, span });
  }
  return { valid: !findings.some((f) => f.severity === 'error'), findings, version: result.version };
}

function sizeFinding(bytes: number): Finding {
  return {
    code: 'FB_FLOW_JSON_TOO_LARGE',
    severity: 'error',
    message: `Flow JSON is ${bytes} bytes; the maximum is ${MAX_FLOW_JSON_BYTES} bytes (10 MB).`,
    pointer: '',
  };
}

/** The UTF-8 byte length when it exceeds the limit, else undefined (counted only when in doubt). */
function oversizeBytes(text: string): number | undefined {
  if (text.length * 3 <= MAX_FLOW_JSON_BYTES) return undefined;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes > MAX_FLOW_JSON_BYTES ? bytes : undefined;
}
