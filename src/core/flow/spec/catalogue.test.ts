/**
 * The component catalogue is consistent with itself and with the version
 * history of spec §1.2 (what each version added).
 */
import { describe, expect, it } from 'vitest';
import { FLOW_JSON_VERSIONS, compareVersions, formatVersion, isKnownFlowJsonVersion, version } from '../version.js';
import { COMPONENTS, componentAt, componentTypesAt } from './catalogue.js';
import type { ObjectShape, PropSpec } from './prop-spec.js';

/** Every property spec reachable from a shape, with its path. */
function* propsOf(shape: ObjectShape, path: string): Generator<[string, PropSpec]> {
  for (const [key, spec] of shape.props) {
    yield [`${path}.${key}`, spec];
    if (spec.shape) yield* propsOf(spec.shape, `${path}.${key}`);
    if (spec.items?.shape) yield* propsOf(spec.items.shape, `${path}.${key}[]`);
  }
}

describe('component catalogue', () => {
  it('introduces components in the versions of Meta\'s changelog', () => {
    const since = Object.fromEntries([...COMPONENTS.values()].map((c) => [c.type, formatVersion(c.since)]));
    expect(since).toMatchObject({
      TextHeading: '2.1', Footer: '2.1', Form: '2.1', PhotoPicker: '4.0', DocumentPicker: '4.0', If: '4.0', Switch: '4.0',
      RichText: '5.1', CalendarPicker: '6.1', NavigationList: '6.2', ChipsSelector: '6.3', ImageCarousel: '7.1',
    });
    expect(componentTypesAt(version('2.1'))).toEqual([
      'TextHeading', 'TextSubheading', 'TextBody', 'TextCaption', 'TextInput', 'TextArea', 'DatePicker', 'OptIn',
      'CheckboxGroup', 'RadioButtonsGroup', 'Dropdown', 'Footer', 'EmbeddedLink', 'Image', 'Form',
    ]);
    expect(componentTypesAt(version('7.3'))).toHaveLength(COMPONENTS.size);
    expect(componentAt('ChipsSelector', version('6.2'))).toBeUndefined();
    expect(componentAt('ChipsSelector', version('6.3'))?.type).toBe('ChipsSelector');
  });

  it('gates every property at a released version', () => {
    for (const c of COMPONENTS.values()) {
      expect(c.shape.props.get('type')?.requiredSince, c.type).toBeDefined();
      for (const [path, spec] of propsOf(c.shape, c.type)) {
        for (const v of [spec.since, spec.requiredSince, ...(spec.action?.names.values() ?? [])]) {
          if (v === undefined) continue;
          expect(isKnownFlowJsonVersion(formatVersion(v)), path).toBe(true);
        }
        // Shared properties may predate a newer component (ChipsSelector's init-value is "4.0"): harmless.
        if (spec.since && compareVersions(spec.since, c.since) < 0) expect(spec.since, path).toEqual(version('4.0'));
      }
    }
  });

  it('has usable limits: enums non-empty, min ≤ max, positive character limits', () => {
    for (const c of COMPONENTS.values()) {
      for (const [path, spec] of propsOf(c.shape, c.type)) {
        if (spec.enumList) expect(spec.enumList.length, path).toBeGreaterThan(0);
        if (spec.minItems !== undefined && spec.maxItems !== undefined) expect(spec.minItems, path).toBeLessThanOrEqual(spec.maxItems);
        if (spec.min !== undefined && spec.max !== undefined) expect(spec.min, path).toBeLessThanOrEqual(spec.max);
        if (spec.maxChars !== undefined) expect(spec.maxChars, path).toBeGreaterThan(0);
        expect(spec.kinds.length, path).toBeGreaterThan(0);
      }
    }
  });

  it('lets only Footer complete a flow', () => {
    const completing: string[] = [];
    for (const c of COMPONENTS.values()) {
      for (const [path, spec] of propsOf(c.shape, c.type)) if (spec.action?.names.has('complete')) completing.push(path);
    }
    expect(completing).toEqual(['Footer.on-click-action']);
  });

  it('never lets `name` or `type` be an expression', () => {
    for (const c of COMPONENTS.values()) {
      expect(c.shape.props.get('type')?.expr, c.type).toBe(false);
      const name = c.shape.props.get('name');
      if (name) expect(name.expr || name.dyn, c.type).toBe(false);
    }
    expect(FLOW_JSON_VERSIONS.length).toBeGreaterThan(0);
  });
});
