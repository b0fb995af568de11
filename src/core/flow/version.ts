/**
 * Flow JSON and Data API versions. Versions are not decimals: after 1.9 comes
 * 1.10, so they are compared as (major, minor) integer pairs (Meta, "Versioning").
 * @module
 */

/** A parsed `"{major}.{minor}"` version. */
export interface Version {
  readonly major: number;
  readonly minor: number;
}

/** Every Flow JSON version Meta has released (spec §1.2). */
export const FLOW_JSON_VERSIONS = [
  '2.1', '3.0', '3.1', '4.0', '5.0', '5.1', '6.0', '6.1', '6.2', '6.3', '7.0', '7.1', '7.2', '7.3',
] as const;
export type FlowJsonVersion = (typeof FLOW_JSON_VERSIONS)[number];

/** Versions Meta has frozen: flows on them can still be sent but no longer published. */
export const FROZEN_FLOW_JSON_VERSIONS: readonly string[] = ['2.1', '3.0', '3.1', '4.0', '5.0'];

/** The version Meta recommends and the compiler targets by default. */
export const LATEST_FLOW_JSON_VERSION: FlowJsonVersion = '7.3';

/** Data API versions an endpoint-powered flow may declare. */
export const DATA_API_VERSIONS = ['3.0', '4.0'] as const;

const versionPattern = /^(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

/** Parse `"6.2"` into `{major: 6, minor: 2}`; `undefined` when not of that form. */
export function parseVersion(text: unknown): Version | undefined {
  if (typeof text !== 'string') return undefined;
  const m = versionPattern.exec(text);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]) };
}

/** Like {@link parseVersion} but throws on malformed input (for constants). */
export function version(text: string): Version {
  const v = parseVersion(text);
  if (!v) throw new Error(`Invalid version literal "${text}"`);
  return v;
}

/** Negative when a < b, zero when equal, positive when a > b. */
export function compareVersions(a: Version, b: Version): number {
  return a.major !== b.major ? a.major - b.major : a.minor - b.minor;
}

/** True when `v` is `min` or later. */
export function isAtLeast(v: Version, min: Version | string): boolean {
  return compareVersions(v, typeof min === 'string' ? version(min) : min) >= 0;
}

/** `"6.2"` from `{6, 2}`. */
export function formatVersion(v: Version): string {
  return `${v.major}.${v.minor}`;
}

/** True when the version string is one Meta has released. */
export function isKnownFlowJsonVersion(text: string): text is FlowJsonVersion {
  return (FLOW_JSON_VERSIONS as readonly string[]).includes(text);
}
