/**
 * A JSON parser in plain TypeScript that returns exactly what JSON.parse
 * returns (same values, same rejections) and also where every value sits in
 * the text. One pass over char codes with an explicit stack: no recursion
 * limit, no per-value allocation besides the value itself.
 * @module
 */
import type { JsonObject } from '../json.js';
import { describeDuplicates } from './duplicate-keys.js';
import { JsonCursor } from './json-cursor.js';
import { NodeTable } from './node-table.js';
import type { ParsedSource } from './parse-json-with-source.js';
import { SourceMap } from './source-map.js';

/**
 * Parse JSON text like JSON.parse, building the value and the positions in
 * one pass. {@link parseJsonWithSource} lets the native JSON.parse build the
 * value and only falls back to this parser to place a syntax error; it is
 * also the reference the faster position scan is tested against.
 * @throws {JsonSyntaxError} with a 1-based line and column, whenever JSON.parse would throw.
 */
export function parseJsonValues(text: string): ParsedSource {
  const cur = new JsonCursor(text);
  const nodes = new NodeTable(text.length >>> 5);
  const containers: Array<JsonObject | unknown[]> = [];
  const containerNodes: number[] = [];
  const keys: string[] = [];
  const duplicates: number[] = [];
  let keyStart = -1;
  let parent = -1;
  let value: unknown;
  let c = cur.skipWhitespace();

  /** Read `"key" :` at the cursor into the top level's pending key. */
  const readKey = (expected: string): number => {
    if (c !== 34) cur.fail(expected);
    const at = cur.pos;
    keys[keys.length - 1] = cur.readString();
    if (cur.skipWhitespace() !== 58) cur.fail("expected ':' after the property name");
    cur.pos++;
    c = cur.skipWhitespace();
    return at;
  };

  for (;;) {
    const node = nodes.open(cur.pos, keyStart, parent);
    if (c === 123 || c === 91) {
      const isObject = c === 123;
      cur.pos++;
      c = cur.skipWhitespace();
      if (c === (isObject ? 125 : 93)) {
        cur.pos++;
        nodes.close(node, cur.pos);
        value = isObject ? {} : [];
      } else {
        containers.push(isObject ? {} : []);
        containerNodes.push(node);
        parent = node;
        keys.push('');
        keyStart = isObject ? readKey("expected a property name or '}'") : -1;
        continue;
      }
    } else {
      if (c === 34) value = cur.readString();
      else if (c === 45 || (c >= 48 && c <= 57)) value = cur.readNumber();
      else if (c === 116) value = cur.readWord('true', true);
      else if (c === 102) value = cur.readWord('false', false);
      else if (c === 110) value = cur.readWord('null', null);
      else cur.fail('expected a value');
      nodes.close(node, cur.pos);
    }
    let valueNode = node;
    // Attach the finished value to its container, closing containers that end here.
    for (;;) {
      const depth = containers.length;
      c = cur.skipWhitespace();
      if (depth === 0) {
        if (cur.pos < text.length) cur.fail('expected the end of the input after the JSON value');
        return { value, map: new SourceMap(text, nodes), duplicateKeys: describeDuplicates(duplicates, text, nodes) };
      }
      const container = containers[depth - 1];
      if (Array.isArray(container)) {
        container.push(value);
        if (c === 44) {
          cur.pos++;
          c = cur.skipWhitespace();
          keyStart = -1;
          break;
        }
        if (c !== 93) cur.fail("expected ',' or ']' after an array element");
      } else if (container) {
        const key = keys[depth - 1] ?? '';
        if (container[key] !== undefined && Object.hasOwn(container, key)) duplicates.push(valueNode);
        if (key === '__proto__') Object.defineProperty(container, key, { value, writable: true, enumerable: true, configurable: true });
        else container[key] = value;
        if (c === 44) {
          cur.pos++;
          c = cur.skipWhitespace();
          keyStart = readKey('expected a property name');
          break;
        }
        if (c !== 125) cur.fail("expected ',' or '}' after a property value");
      }
      cur.pos++;
      valueNode = containerNodes.pop() ?? 0;
      parent = containerNodes.length > 0 ? (containerNodes[containerNodes.length - 1] ?? -1) : -1;
      nodes.close(valueNode, cur.pos);
      containers.pop();
      keys.pop();
      value = container;
    }
  }
}
