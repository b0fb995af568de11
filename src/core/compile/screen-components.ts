/**
 * The components of one planned screen: page heading and description, the
 * fields with their show/hide conditions (`visible` expressions from 6.0, If
 * from 4.0), and the Footer(s) of the screen's route.
 * @module
 */
import type { ActionPayload } from '../flow/model/actions.js';
import { dataExchange, navigate } from '../flow/model/builder-actions.js';
import type { Component } from '../flow/model/component.js';
import { atLeast, type CompileContext } from './compile-context.js';
import type { CompiledField } from './compile-field.js';
import { fitText } from './compile-report.js';
import { conditionToExpr } from './condition-expr.js';
import { withRequiredWhen, type RequiredWhenMode } from './conditional-rules.js';
import type { PlannedScreen } from './plan-screens.js';
import type { OperandLookup, ScreenRoute } from './route-screens.js';

/** Components If may hold (Meta, "Components" → If). */
const IF_CHILDREN = new Set(['TextHeading', 'TextSubheading', 'TextBody', 'TextCaption', 'CheckboxGroup', 'DatePicker', 'Dropdown', 'EmbeddedLink', 'Image', 'OptIn', 'RadioButtonsGroup', 'TextArea', 'TextInput']);

function unrequire(components: Component[]): Component[] {
  return components.map((c) => ('required' in c && c.required !== false && c.required !== undefined ? ({ ...c, required: false }) : c));
}

/** The field's components with its show/hide condition applied, or made optional when the client cannot compute it. */
export function fieldWithVisibility(cf: CompiledField, operandOf: OperandLookup, ctx: CompileContext, requiredMode?: RequiredWhenMode): Component[] {
  const components = withRequiredWhen(cf, requiredMode, ctx);
  const when = cf.field.visibleWhen;
  if (!when || components.length === 0) return components;
  const expr = conditionToExpr(when, operandOf);
  if (expr !== undefined && atLeast(ctx, '6.0')) {
    return components.map((c) => {
      const own = 'visible' in c && typeof c.visible === 'string' && c.visible.startsWith('`') ? c.visible.slice(1, -1) : undefined;
      return { ...c, visible: own === undefined ? `\`${expr}\`` : `\`(${expr}) && (${own})\`` } as Component;
    });
  }
  if (expr !== undefined && components.every((c) => IF_CHILDREN.has(c.type))) {
    return [{ type: 'If', condition: expr, then: components }];
  }
  if (cf.entry.required) cf.entry.serverChecks.push('required-when-visible');
  ctx.report.add('warning', 'approximated', cf.field.id, 'Its show/hide condition cannot be computed on the phone: the question is always shown and optional; the server ignores the answer when the condition is false and requires it when true.');
  return unrequire(components);
}

/**
 * Build the Footer (or If/Switch of Footers) of a route. `entryData` is the
 * navigate payload a target screen needs (its pickers' empty per-file errors).
 */
export function routeFooter(route: ScreenRoute, label: string, payload: ActionPayload, entryData: (screen: string) => ActionPayload = () => ({})): Component {
  const go = (to: string): Component => ({ type: 'Footer', label, 'on-click-action': navigate(to, entryData(to)) });
  switch (route.kind) {
    case 'navigate':
      return go(route.to);
    case 'endpoint':
      return { type: 'Footer', label, 'on-click-action': dataExchange(payload) };
    case 'if':
      return { type: 'If', condition: route.condition, then: [go(route.then)], else: [go(route.else)] };
    case 'switch': {
      const cases: Record<string, Component[]> = {};
      for (const [id, to] of Object.entries(route.cases)) cases[id] = [go(to)];
      return { type: 'Switch', value: route.ref as `\${${string}}`, cases };
    }
  }
}

/** Everything on a field screen except the footer. `requiredModes` says how each conditional required rule is enforced. */
export function screenBody(s: PlannedScreen, operandOf: OperandLookup, ctx: CompileContext, requiredModes: ReadonlyMap<string, RequiredWhenMode> = new Map()): Component[] {
  const out: Component[] = [];
  if (s.heading) out.push({ type: 'TextHeading', text: fitText(s.heading, 80, ctx.report, s.pageId, 'Page title') });
  if (s.description) out.push({ type: 'TextBody', text: s.description.slice(0, 4096) });
  if (s.kind === 'search') {
    const cf = s.fields[0];
    const search = cf?.entry.searchable;
    if (cf && search) {
      out.push({ type: 'TextBody', text: cf.field.label.slice(0, 4096) });
      out.push({ type: 'TextInput', name: search.queryName, label: 'Search', 'input-type': 'text', required: false, 'helper-text': 'Type part of the answer, then continue' });
    }
    return out;
  }
  if (s.kind === 'pick') {
    const cf = s.fields[0];
    const search = cf?.entry.searchable;
    if (cf && search) {
      const name = cf.entry.flowName ?? '';
      const ds = `\${data.${search.dataKey}}` as const;
      out.push(cf.search?.kind === 'checkbox'
        ? { type: 'CheckboxGroup', name, label: fitText(cf.field.label, 30, ctx.report, cf.field.id, 'Label'), 'data-source': ds, required: cf.field.required }
        : { type: 'Dropdown', name, label: fitText(cf.field.label, 20, ctx.report, cf.field.id, 'Label'), 'data-source': ds, required: cf.field.required });
    }
    return out;
  }
  for (const cf of s.fields) out.push(...fieldWithVisibility(cf, operandOf, ctx, requiredModes.get(cf.field.id)));
  if (out.length === 0) out.push({ type: 'TextBody', text: s.title });
  return out;
}
