/**
 * The random-flow generator checked on its own terms, independently of the
 * validator: version gates, per-screen and per-flow limits, unique names,
 * character limits (spec §1.2, §1.9, §1.11).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forEachComponent, screensOf } from '../../src/core/flow/walk.js';
import { isAtLeast, parseVersion } from '../../src/core/flow/version.js';
import { arbitraryFlow } from '../arbitraries/flow.js';
import { alpha, text } from '../arbitraries/flow-parts.js';

const minVersion: Record<string, string> = {
  PhotoPicker: '4.0', DocumentPicker: '4.0', If: '4.0', Switch: '4.0', RichText: '5.1',
  CalendarPicker: '6.1', NavigationList: '6.2', ChipsSelector: '6.3', ImageCarousel: '7.1',
};
const perScreenMax: Record<string, number> = { OptIn: 5, EmbeddedLink: 2, Image: 3, ImageCarousel: 2, NavigationList: 2, Footer: 1 };
const labelMax: Record<string, number> = {
  TextInput: 20, TextArea: 20, Dropdown: 20, CheckboxGroup: 30, RadioButtonsGroup: 30, OptIn: 120, DatePicker: 40, ChipsSelector: 80, Footer: 35,
};

describe('random flow generator', () => {
  it('stays within version gates and Meta limits', () => {
    fc.assert(
      fc.property(arbitraryFlow({ patterns: true }), (g) => {
        const v = parseVersion(g.version)!;
        const screens = screensOf(g.flow);
        expect(screens.length).toBeGreaterThanOrEqual(1);
        expect(screens.length).toBeLessThanOrEqual(12);
        let carousels = 0;
        for (const screen of screens) {
          const counts = new Map<string, number>();
          const names = new Set<string>();
          let total = 0;
          forEachComponent(screen, (c) => {
            total++;
            counts.set(c.type, (counts.get(c.type) ?? 0) + 1);
            const min = minVersion[c.type];
            if (min) expect(isAtLeast(v, min), `${c.type} in ${g.version}`).toBe(true);
            if (c.node.pattern !== undefined) expect(isAtLeast(v, '6.2') && typeof c.node['helper-text'] === 'string').toBe(true);
            if (c.node['label-variant'] !== undefined) expect(isAtLeast(v, '7.0')).toBe(true);
            if (typeof c.node.name === 'string' && c.type !== 'Form') {
              expect(names.has(c.node.name)).toBe(false);
              names.add(c.node.name);
            }
            const max = labelMax[c.type];
            if (max !== undefined && typeof c.node.label === 'string') expect(c.node.label.length).toBeLessThanOrEqual(max);
            const source = c.node['data-source'];
            if (Array.isArray(source)) {
              expect(source.length).toBeGreaterThanOrEqual(c.type === 'ChipsSelector' ? 2 : 1);
              expect(source.length).toBeLessThanOrEqual(c.type === 'Dropdown' ? 200 : 20);
              expect(new Set(source.map((o: { id: string }) => o.id)).size).toBe(source.length);
            }
          });
          expect(total).toBeLessThanOrEqual(50);
          for (const [type, max] of Object.entries(perScreenMax)) expect(counts.get(type) ?? 0, type).toBeLessThanOrEqual(max);
          expect((counts.get('PhotoPicker') ?? 0) + (counts.get('DocumentPicker') ?? 0)).toBeLessThanOrEqual(1);
          carousels += counts.get('ImageCarousel') ?? 0;
          expect(screen.id).toMatch(/^[A-Za-z_]+$/);
        }
        expect(carousels).toBeLessThanOrEqual(3);
        expect(g.flow.screens.filter((s) => s.terminal).map((s) => s.id)).toEqual([g.screens[g.screens.length - 1]!.id]);
        expect(g.endpoint).toBe(g.flow.data_api_version !== undefined);
        if (g.endpoint) expect(Object.keys(g.flow.routing_model ?? {})).toEqual(g.flow.screens.map((s) => s.id));
      }),
      { numRuns: 150 },
    );
  });

  it('respects the requested options', () => {
    fc.assert(
      fc.property(arbitraryFlow({ versions: ['6.3'], endpoint: false, minScreens: 3, maxScreens: 3 }), (g) => {
        expect(g.version).toBe('6.3');
        expect(g.flow.version).toBe('6.3');
        expect(g.endpoint).toBe(false);
        expect(g.flow.screens).toHaveLength(3);
      }),
      { numRuns: 30 },
    );
  });

  it('writes non-blank texts within the limit and distinct letter ids', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 120 }).chain((max) => text(max).map((t) => [max, t] as const)), ([max, t]) => {
      expect(t.length).toBeLessThanOrEqual(max);
      expect(t.trim()).toBe(t);
      expect(t.length).toBeGreaterThan(0);
    }), { numRuns: 200 });
    const ids = Array.from({ length: 800 }, (_, i) => alpha(i));
    expect(new Set(ids).size).toBe(800);
    expect(ids.every((id) => /^[a-z]+$/.test(id))).toBe(true);
  });
});
