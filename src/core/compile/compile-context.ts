/**
 * What the per-field and per-screen compilers share: the target version, the
 * report, the overrides and the input-name allocator.
 * @module
 */
import { isAtLeast, type Version } from '../flow/version.js';
import type { CompileReport } from './compile-report.js';
import type { CompileOverrides } from './overrides.js';

/** Shared state of one compilation. */
export interface CompileContext {
  readonly version: Version;
  readonly report: CompileReport;
  readonly overrides: CompileOverrides;
  /** The compile day (`YYYY-MM-DD`), when given: relative date bounds become fixed picker bounds as of that day. */
  readonly today?: string;
  /** Allocate a unique Flow input name derived from `base`. */
  name(base: string): string;
}

/** True when the target version is `min` or later. */
export function atLeast(ctx: CompileContext, min: string): boolean {
  return isAtLeast(ctx.version, min);
}

/**
 * A Flow input-name allocator: names keep letters, digits and underscores
 * (what references accept in every Meta example), never start with a digit,
 * and are unique.
 */
export function nameAllocator(): (base: string) => string {
  const used = new Set<string>();
  return (base: string) => {
    let clean = base.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 40);
    if (clean === '' || /^[0-9]/.test(clean)) clean = `f_${clean}`;
    let name = clean;
    for (let i = 2; used.has(name); i++) name = `${clean}_${i}`;
    used.add(name);
    return name;
  };
}

/** Screen ids: letters and underscores only (Meta, "Flow JSON" → Screens), unique, never SUCCESS. */
export function screenIdAllocator(): (title: string) => string {
  const used = new Set<string>();
  return (title: string) => {
    let base = title.toUpperCase().replace(/[^A-Z]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 32).replace(/_+$/, '');
    if (base === '') base = 'SCREEN';
    if (base === 'SUCCESS') base = 'SUCCESS_SCREEN';
    let id = base;
    for (let i = 1; used.has(id); i++) id = `${base}_${letters(i)}`;
    used.add(id);
    return id;
  };
}

function letters(n: number): string {
  let s = '';
  let k = n;
  do {
    s = String.fromCharCode(65 + (k % 26)) + s;
    k = Math.floor(k / 26) - 1;
  } while (k >= 0);
  return s;
}
