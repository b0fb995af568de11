/**
 * Fixture reading shared by every contract fake and the tests around them:
 * the shared fixtures annotate wire examples with `_`-prefixed keys (notes for
 * humans), which must never reach the code under test as if the API sent them.
 * @module
 */
import { readdirSync, readFileSync } from 'node:fs';

/**
 * A copy of `value` without its `_` annotation keys, recursively. `keep`
 * names `_` keys that are real wire data for a system (Typeform's `_links`).
 */
export function stripAnnotations(value: unknown, keep: readonly string[] = []): unknown {
  if (Array.isArray(value)) return value.map((v) => stripAnnotations(v, keep));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => !k.startsWith('_') || keep.includes(k))
      .map(([k, v]) => [k, stripAnnotations(v, keep)]),
  );
}

/** A fixture file parsed as JSON and stripped of its `_` annotation keys (see {@link stripAnnotations}). */
export function loadFixture(path: string, keep: readonly string[] = []): unknown {
  return stripAnnotations(JSON.parse(readFileSync(path, 'utf8')), keep);
}

/** Every `form-*` fixture of a source folder (annotations stripped), by the value of its `idKey`. */
export function fixtureFormsById(dir: string, idKey: string, keep: readonly string[] = []): Map<string, Record<string, unknown>> {
  const forms = new Map<string, Record<string, unknown>>();
  for (const f of readdirSync(dir).filter((n) => n.startsWith('form-'))) {
    const def = loadFixture(`${dir}/${f}`, keep) as Record<string, unknown>;
    forms.set(String(def[idKey]), def);
  }
  return forms;
}
