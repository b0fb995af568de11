/**
 * Choice questions as Flow components (Meta, "Components" → Selection
 * lists): RadioButtonsGroup up to 20 options, Dropdown up to 200, otherwise
 * a list served by the endpoint after a search; CheckboxGroup or
 * ChipsSelector (≥ 6.3) for several answers.
 * @module
 */
import type { Component } from '../flow/model/component.js';
import type { DataSourceItem } from '../flow/model/selection-components.js';
import type { FieldOption, FormField } from '../form/field.js';
import { atLeast, type CompileContext } from './compile-context.js';
import { fitText } from './compile-report.js';
import type { FieldMapOption } from './field-map.js';

/** Meta's option limits: Radio/Checkbox/Chips 20, Dropdown 200. */
export const MAX_LIST_OPTIONS = 20;
export const MAX_DROPDOWN_OPTIONS = 200;

/** Id of the synthetic "other" option. */
export const OTHER_OPTION_ID = '__other__';

/** Data-source items for options (titles ≤ 30, descriptions ≤ 300), plus their field-map entries. */
export function optionItems(field: FormField, ctx: CompileContext, options: readonly FieldOption[] = field.options ?? []): { items: DataSourceItem[]; map: FieldMapOption[] } {
  const items: DataSourceItem[] = [];
  const map: FieldMapOption[] = [];
  for (const o of options) {
    const item: DataSourceItem = { id: o.id, title: fitText(o.label, 30, ctx.report, field.id, `Option '${o.id}' title`) };
    if (o.description !== undefined && o.description.trim() !== '') item.description = fitText(o.description, 300, ctx.report, field.id, `Option '${o.id}' description`);
    items.push(item);
    map.push({ flowId: o.id, optionId: o.id, sourceValue: o.value, title: item.title });
  }
  if (field.allowOther) {
    items.push({ id: OTHER_OPTION_ID, title: 'Other' });
    map.push({ flowId: OTHER_OPTION_ID, optionId: OTHER_OPTION_ID, sourceValue: '', title: 'Other' });
  }
  return { items, map };
}

/** Which list component a choice field becomes, or `search` when the endpoint must serve the options. */
export type ChoiceComponent = 'radio' | 'dropdown' | 'checkbox' | 'chips' | 'search';

/**
 * Pick the component: overrides first (when legal for the option count), then
 * by count. Chips are chosen for multiple choice from 6.3 when every label is
 * short (≤ 15 characters), since chips show one line per option.
 */
export function chooseChoiceComponent(field: FormField, count: number, ctx: CompileContext): ChoiceComponent {
  const multi = field.type === 'multiple_choice';
  const wanted = ctx.overrides.fields?.[field.id]?.component;
  const chipsOk = atLeast(ctx, '6.3') && count >= 2 && count <= MAX_LIST_OPTIONS;
  if (multi) {
    if (count > MAX_LIST_OPTIONS) return 'search';
    if (wanted === 'chips' && chipsOk) return 'chips';
    if (wanted === 'checkbox') return 'checkbox';
    const short = (field.options ?? []).every((o) => o.label.length <= 15);
    return chipsOk && short && wanted === undefined ? 'chips' : 'checkbox';
  }
  if (count > MAX_DROPDOWN_OPTIONS) return 'search';
  if (wanted === 'dropdown') return 'dropdown';
  if (wanted === 'radio' && count <= MAX_LIST_OPTIONS) return 'radio';
  if (field.type === 'dropdown') return 'dropdown';
  return count <= MAX_LIST_OPTIONS ? 'radio' : 'dropdown';
}

/** Common props of a list input. */
export interface ListProps {
  name: string;
  label: string;
  required: boolean;
  description?: string;
  init?: string | string[];
}

/** Build the list component itself. */
export function listComponent(kind: Exclude<ChoiceComponent, 'search'>, p: ListProps, source: DataSourceItem[] | `\${data.${string}}`, ctx: CompileContext, field: FormField): Component {
  const v = field.validation;
  switch (kind) {
    case 'radio':
    case 'checkbox': {
      const label = fitText(p.label, 30, ctx.report, field.id, 'Label');
      const c: Component = kind === 'radio'
        ? { type: 'RadioButtonsGroup', name: p.name, label, 'data-source': source, required: p.required }
        : { type: 'CheckboxGroup', name: p.name, label, 'data-source': source, required: p.required };
      if (p.description !== undefined && atLeast(ctx, '4.0')) c.description = p.description;
      if (c.type === 'CheckboxGroup') {
        if (v?.minSelected !== undefined && v.minSelected > 0) c['min-selected-items'] = v.minSelected;
        if (v?.maxSelected !== undefined) c['max-selected-items'] = v.maxSelected;
        if (Array.isArray(p.init)) c['init-value'] = p.init;
      } else if (typeof p.init === 'string') c['init-value'] = p.init;
      return c;
    }
    case 'chips': {
      const c: Component = { type: 'ChipsSelector', name: p.name, label: fitText(p.label, 80, ctx.report, field.id, 'Label'), 'data-source': source, required: p.required };
      if (p.description !== undefined) c.description = p.description;
      if (v?.minSelected !== undefined && v.minSelected > 0) c['min-selected-items'] = v.minSelected;
      if (v?.maxSelected !== undefined) c['max-selected-items'] = v.maxSelected;
      if (Array.isArray(p.init)) c['init-value'] = p.init;
      return c;
    }
    case 'dropdown': {
      const c: Component = { type: 'Dropdown', name: p.name, label: fitText(p.label, 20, ctx.report, field.id, 'Label'), 'data-source': source, required: p.required };
      if (typeof p.init === 'string') c['init-value'] = p.init;
      return c;
    }
  }
}
