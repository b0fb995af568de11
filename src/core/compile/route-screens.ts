/**
 * How each screen moves on (Meta, "Flow JSON" → Routing rules; "Components"
 * → If and Switch). Jumps the client can compute become one Footer per
 * branch (If for two targets, Switch on a choice for more); others become a
 * `data_exchange` and the endpoint decides. Only forward jumps are legal; a
 * jump back is dropped and reported. Screens no path reaches are removed.
 * @module
 */
import type { Condition } from '../form/condition.js';
import type { FormModel } from '../form/form-model.js';
import type { CompileContext } from './compile-context.js';
import { conditionToExpr, type ExprOperand } from './condition-expr.js';
import type { PlannedScreen } from './plan-screens.js';

/** A screen's way forward. */
export type ScreenRoute =
  | { kind: 'navigate'; to: string }
  | { kind: 'if'; condition: string; then: string; else: string }
  | { kind: 'switch'; ref: string; field: string; cases: Record<string, string> }
  | { kind: 'endpoint'; next: string[] };

interface Rule {
  when: Condition;
  to: string;
}

/** Forward targets and rules of every screen, structurally (before choosing how). */
export interface ScreenTargets {
  rules: Rule[];
  fallback: string;
  targets: string[];
}

/** Targets of each screen; reports and drops backward jumps. */
export function screenTargets(model: FormModel, screens: readonly PlannedScreen[], summaryId: string, ctx: CompileContext): Map<string, ScreenTargets> {
  const firstOfPage = new Map<string, PlannedScreen>();
  for (const s of screens) if (!firstOfPage.has(s.pageId)) firstOfPage.set(s.pageId, s);
  const out = new Map<string, ScreenTargets>();
  screens.forEach((s, i) => {
    const next = screens[i + 1];
    if (next && next.pageId === s.pageId) {
      out.set(s.id, { rules: [], fallback: next.id, targets: [next.id] });
      return;
    }
    const page = model.pages[s.pageIndex];
    let fallback = next?.id ?? summaryId;
    const rules: Rule[] = [];
    for (const jump of page?.jumps ?? []) {
      const targetScreen = jump.to === 'end' ? summaryId : firstOfPage.get(jump.to)?.id;
      const targetIndex = jump.to === 'end' ? Number.POSITIVE_INFINITY : model.pages.findIndex((p) => p.id === jump.to);
      if (targetScreen === undefined || targetIndex <= s.pageIndex) {
        ctx.report.add('loss', 'dropped', s.pageId, `Jump from page '${s.pageId}' back to '${jump.to}' is dropped: WhatsApp Flows only route forward (no loops).`);
        continue;
      }
      if (!jump.when) {
        fallback = targetScreen;
        break;
      }
      rules.push({ when: jump.when, to: targetScreen });
    }
    const targets = [...new Set([...rules.map((r) => r.to), fallback])];
    if (targets.length > 10) ctx.report.add('loss', 'dropped', s.pageId, `Page '${s.pageId}' jumps to ${targets.length} places; WhatsApp allows 10 routes per screen, later jumps are dropped.`);
    const kept = targets.slice(0, 10);
    if (!kept.includes(fallback)) kept[kept.length - 1] = fallback;
    out.set(s.id, { rules: rules.filter((r) => kept.includes(r.to)), fallback, targets: kept });
  });
  return out;
}

/** Screen ids reachable from the first screen. */
export function reachable(screens: readonly PlannedScreen[], targets: ReadonlyMap<string, ScreenTargets>): Set<string> {
  const seen = new Set<string>();
  const stack = screens[0] ? [screens[0].id] : [];
  while (stack.length > 0) {
    const id = stack.pop() ?? '';
    if (seen.has(id)) continue;
    seen.add(id);
    for (const t of targets.get(id)?.targets ?? []) stack.push(t);
  }
  return seen;
}

/** The condition under which the first-match rule list leads to `target`. */
function conditionFor(rules: readonly Rule[], target: string): Condition {
  const alternatives: Condition[] = [];
  rules.forEach((r, k) => {
    if (r.to !== target) return;
    const earlier = rules.slice(0, k).filter((e) => e.to !== target).map((e): Condition => ({ op: 'not', condition: e.when }));
    alternatives.push(earlier.length === 0 ? r.when : { op: 'and', conditions: [r.when, ...earlier] });
  });
  return alternatives.length === 1 && alternatives[0] ? alternatives[0] : { op: 'or', conditions: alternatives };
}

/** How the flow reads a field, by id, from a given screen. */
export type OperandLookup = (fieldId: string) => (ExprOperand & { required?: boolean; visibleWhen?: boolean; here?: boolean }) | undefined;

/** Choose the route of one screen. `forceEndpoint` for screens sending files or searches. */
export function chooseRoute(t: ScreenTargets, operandOf: OperandLookup, forceEndpoint: boolean): ScreenRoute {
  if (forceEndpoint) return { kind: 'endpoint', next: t.targets };
  if (t.targets.length === 1) return { kind: 'navigate', to: t.fallback };
  if (t.targets.length === 2) {
    const other = t.targets.find((x) => x !== t.fallback) ?? t.fallback;
    const condition = conditionToExpr(conditionFor(t.rules, other), operandOf);
    if (condition !== undefined) return { kind: 'if', condition, then: other, else: t.fallback };
  }
  const first = t.rules[0]?.when;
  const field = first && 'field' in first ? first.field : undefined;
  const o = field === undefined ? undefined : operandOf(field);
  const sameField = t.rules.every((r) => r.when.op === 'equals' && r.when.field === field);
  if (o && field !== undefined && sameField && (o.kind === 'choice' || o.kind === 'scale') && o.optionIds && !o.visibleWhen && (o.here || o.required)) {
    const cases: Record<string, string> = {};
    for (const id of o.optionIds) {
      const hit = t.rules.find((r) => r.when.op === 'equals' && String(r.when.value) === id);
      cases[id] = hit?.to ?? t.fallback;
    }
    return { kind: 'switch', ref: o.ref, field, cases };
  }
  return { kind: 'endpoint', next: t.targets };
}
