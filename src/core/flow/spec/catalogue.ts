/**
 * The component catalogue: every component Meta documents for Flow JSON 2.1
 * to 7.3, looked up by `type`. Built once at module load.
 * @module
 */
import type { ComponentSpec } from './common-props.js';
import { INPUT_COMPONENTS } from './input-components.js';
import { LAYOUT_COMPONENTS } from './layout-components.js';
import { MEDIA_COMPONENTS } from './media-components.js';
import { SELECTION_COMPONENTS } from './selection-components.js';
import { TEXT_COMPONENTS } from './text-components.js';
import { compareVersions, isAtLeast, type Version } from '../version.js';

/** Every component by `type`. */
export const COMPONENTS: ReadonlyMap<string, ComponentSpec> = new Map(
  [...TEXT_COMPONENTS, ...INPUT_COMPONENTS, ...SELECTION_COMPONENTS, ...LAYOUT_COMPONENTS, ...MEDIA_COMPONENTS].map(
    (c) => [c.type, c],
  ),
);

const sortedTypes = [...COMPONENTS.values()].sort((a, b) => compareVersions(a.since, b.since));

/** The component types a version knows, in order of introduction (for "Value should be one of"). */
export function componentTypesAt(version: Version): string[] {
  return sortedTypes.filter((c) => isAtLeast(version, c.since)).map((c) => c.type);
}

/** The spec of `type` when the version knows it. */
export function componentAt(type: string, version: Version): ComponentSpec | undefined {
  const spec = COMPONENTS.get(type);
  return spec && isAtLeast(version, spec.since) ? spec : undefined;
}
