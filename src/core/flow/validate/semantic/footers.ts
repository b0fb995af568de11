/**
 * Footer placement (Meta, "Components" → "Footer", "If", "Switch"; "Error
 * codes" → "Footer errors"; spec §1.9).
 * @module
 */
import type { Rule } from '../context.js';
import { arrayProp, isObject, objectProp, type JsonObject } from '../../json.js';
import { childListsOf } from '../../walk.js';
import { flowIndex } from './flow-index.js';

/**
 * The most Footers one rendering of these components can show: If/Switch
 * branches are alternatives (max), everything else adds up. A Footer in
 * `then` and one in `else` is one Footer on screen, which Meta requires.
 */
export function maxFootersOf(items: readonly unknown[]): number {
  let total = 0;
  for (const node of items) {
    if (!isObject(node)) continue;
    if (node.type === 'Footer') total += 1;
    else if (node.type === 'If' || node.type === 'Switch') {
      total += Math.max(0, ...childListsOf(node).map((l) => maxFootersOf(l.items)));
    } else total += childListsOf(node).reduce((sum, l) => sum + maxFootersOf(l.items), 0);
  }
  return total;
}

/** True when a Footer appears anywhere in the list (nested containers included). */
export function containsFooter(items: readonly unknown[]): boolean {
  return items.some((node) => isObject(node) && (node.type === 'Footer' || childListsOf(node).some((l) => containsFooter(l.items))));
}

function checkIf(node: JsonObject, pointer: string, report: (p: string, m: string) => void): void {
  const then = arrayProp(node, 'then') ?? [];
  const otherwise = arrayProp(node, 'else');
  const thenHas = containsFooter(then);
  if (otherwise === undefined) {
    if (thenHas) report(pointer, "Missing Footer inside one of the 'If' component branches. Branch 'else' should exist and contain one Footer.");
  } else if (thenHas !== containsFooter(otherwise)) {
    report(pointer, "Footer component must be present in all branches of 'If' component if it exists in any one branch.");
  }
}

/**
 * At most one Footer per screen over every If/Switch branch combination;
 * a Footer inside an If only at its first level, in both branches or none;
 * a Footer in one Switch case means one in every case.
 */
export const checkFooters: Rule = (ctx) => {
  const { findings } = ctx;
  for (const { screen, components } of flowIndex(ctx).screens) {
    const layout = objectProp(screen.node, 'layout');
    const children = layout ? arrayProp(layout, 'children') : undefined;
    if (!children) continue;
    if (maxFootersOf(children) > 1) {
      const second = components.filter((c) => c.type === 'Footer')[1];
      const where = second?.pointer ?? `${screen.pointer}/layout`;
      findings.error('MORE_THAN_ONE_FOOTER', where, 'Maximum number of Footer component allowed per screen is 1.');
    }
    for (const c of components) {
      if (c.type === 'Footer' && c.ifDepth > 1) {
        findings.error('FB_FOOTER_IN_NESTED_IF', c.pointer, "Footer can only be used in the first level of an 'If' component.");
      } else if (c.type === 'If') {
        checkIf(c.node, c.pointer, (p, m) => findings.error('MISSING_FOOTER_IN_IF_ELSE_BRANCHES', p, m));
      } else if (c.type === 'Switch') {
        const cases = objectProp(c.node, 'cases');
        if (!cases) continue;
        const lists = Object.values(cases).map((v): unknown[] => (Array.isArray(v) ? (v as unknown[]) : []));
        const withFooter = lists.filter(containsFooter).length;
        if (withFooter > 0 && withFooter < lists.length) {
          findings.error('MISSING_FOOTER_IN_SWITCH_BRANCHES', `${c.pointer}/cases`, 'Footer component must be present in all switch cases if it exists in any one case.');
        }
      }
    }
  }
};
