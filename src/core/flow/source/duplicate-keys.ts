/**
 * Duplicate member keys of a parsed JSON text, described for findings.
 * JSON.parse keeps the last value of a repeated key silently; Flow JSON
 * authors rarely mean that, so the validator warns about each repeat.
 * @module
 */
import type { SourceSpan } from '../finding.js';
import type { NodeTable } from './node-table.js';
import { SourceMap } from './source-map.js';

/** A key that appears twice in one object; like JSON.parse, the last value wins. */
export interface DuplicateKey {
  readonly key: string;
  /** Pointer of the member (its final value is the last occurrence's). */
  readonly pointer: string;
  /** Span of the repeated (later) key. */
  readonly span: SourceSpan;
}

/**
 * Describe the repeated members `duplicates` (value nodes of the later
 * occurrences, in the order their values end in the text).
 */
export function describeDuplicates(duplicates: readonly number[], text: string, nodes: NodeTable): DuplicateKey[] {
  if (duplicates.length === 0) return [];
  const map = new SourceMap(text, nodes);
  return duplicates.map((node) => ({
    key: map.keyOf(node) ?? '',
    pointer: map.pointerOf(node),
    span: map.spanOf(map.keyRangeOfNode(node) ?? { start: nodes.start(node), end: nodes.end(node) }),
  }));
}
