/**
 * Parse JSON text exactly as JSON.parse does (same values, same rejections)
 * and also learn where every value sits in the text, so that validation
 * findings can carry Meta-style `line_start/column_start` spans (Flows API
 * "Validation errors"). The native JSON.parse builds the value; a scan that
 * allocates nothing per value records the positions. Only text JSON.parse
 * rejects goes through the slower parser that can say where it broke.
 * @module
 */
import { describeDuplicates, type DuplicateKey } from './duplicate-keys.js';
import { parseJsonValues } from './parse-json-values.js';
import { scanPositions } from './scan-positions.js';
import { SourceMap } from './source-map.js';

export type { DuplicateKey } from './duplicate-keys.js';

/** A parsed JSON text with its positions. */
export interface ParsedSource {
  readonly value: unknown;
  readonly map: SourceMap;
  readonly duplicateKeys: readonly DuplicateKey[];
}

/**
 * Parse JSON text like JSON.parse, keeping positions.
 * @throws {JsonSyntaxError} with a 1-based line and column, whenever JSON.parse would throw.
 */
export function parseJsonWithSource(text: string): ParsedSource {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    // Throws the positioned JsonSyntaxError for this text.
    return parseJsonValues(text);
  }
  const { nodes, duplicates } = scanPositions(text);
  return { value, map: new SourceMap(text, nodes), duplicateKeys: describeDuplicates(duplicates, text, nodes) };
}
