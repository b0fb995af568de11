/**
 * DatePicker and CalendarPicker dates and modes (Meta, "Components" →
 * "DatePicker", "CalendarPicker"; changelog 5.0; spec §1.9).
 * @module
 */
import type { Rule, RuleContext } from '../context.js';
import { isDynamicValue } from '../../dynamic.js';
import { childPointer } from '../../finding.js';
import { isObject, jsonTypeOf } from '../../json.js';
import { isAtLeast, version as versionLiteral } from '../../version.js';
import type { ComponentVisit } from '../../walk.js';
import { knownComponents } from './flow-index.js';
import { checkMinMax } from './component-limits.js';

/** Version gates, parsed once (not per call). */
const V_5_0 = versionLiteral('5.0');

const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;
const msTimestamp = /^\d{1,15}$/;

/** A real calendar date written `YYYY-MM-DD`, as its sortable text; else undefined. */
export function parseIsoDate(text: string): string | undefined {
  const m = isoDate.exec(text);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d ? text : undefined;
}

/** Sort key of a date in the format the component and version use, or undefined when malformed. */
function dateKey(text: string, timestamps: boolean): string | undefined {
  if (timestamps) return msTimestamp.test(text) ? text.padStart(16, '0') : undefined;
  return parseIsoDate(text);
}

function checkDates(ctx: RuleContext, c: ComponentVisit, timestamps: boolean): void {
  const format = timestamps ? 'UTC milliseconds timestamp' : 'YYYY-MM-DD';
  const check = (value: unknown, pointer: string, prop: string): string | undefined => {
    if (typeof value !== 'string' || isDynamicValue(value)) return undefined;
    const key = dateKey(value, timestamps);
    if (key === undefined) ctx.findings.error('INVALID_PROPERTY_VALUE_FORMAT', pointer, `Property '${prop}' should be in '${format}' format.`);
    return key;
  };
  const min = check(c.node['min-date'], `${c.pointer}/min-date`, 'min-date');
  const max = check(c.node['max-date'], `${c.pointer}/max-date`, 'max-date');
  if (min !== undefined && max !== undefined && min > max) {
    const name = typeof c.node.name === 'string' ? c.node.name : '';
    ctx.findings.error('MIN_VALUE_GREATER_THAN_MAX', `${c.pointer}/min-date`, `"min-date" cannot be greater than "max-date" for ${c.type} component ${name}.`);
  }
  const unavailable = c.node['unavailable-dates'];
  if (Array.isArray(unavailable)) unavailable.forEach((v, i) => check(v, `${c.pointer}/unavailable-dates/${i}`, 'unavailable-dates'));
  const formInit = c.form?.node['init-values'];
  if (c.form && isObject(formInit) && typeof c.node.name === 'string' && formInit[c.node.name] !== undefined) {
    check(formInit[c.node.name], childPointer(c.form.pointer, 'init-values', c.node.name), 'init-values');
  }
  const init = c.node['init-value'];
  if (isObject(init)) {
    for (const k of ['start-date', 'end-date']) check(init[k], `${c.pointer}/init-value/${k}`, k);
  } else check(init, `${c.pointer}/init-value`, 'init-value');
}

const rangeOnly = ['title', 'description', 'min-days', 'max-days'] as const;
const objectInRange = ['label', 'helper-text', 'required', 'error-message', 'init-value'] as const;

function checkCalendarMode(ctx: RuleContext, c: ComponentVisit): void {
  const range = c.node.mode === 'range';
  if (range) {
    checkMinMax(ctx.findings, c, 'min-days', 'max-days');
    const init = c.node['init-value'];
    if (typeof init === 'string' && !isDynamicValue(init)) {
      const pointer = `${c.pointer}/init-value`;
      ctx.findings.error('INVALID_PROPERTY_TYPE', pointer, `Expected property ${pointer} to be of type object, but found string.`);
    }
    return;
  }
  for (const prop of rangeOnly) {
    if (c.node[prop] !== undefined) {
      ctx.findings.error('INVALID_PROPERTY_KEY', `${c.pointer}/${prop}`, `Property ${prop} cannot be specified at CalendarPicker on ${c.pointer} unless 'mode' is 'range'.`);
    }
  }
  for (const prop of objectInRange) {
    const value = c.node[prop];
    if (isObject(value)) {
      const pointer = `${c.pointer}/${prop}`;
      const expected = prop === 'required' ? 'boolean' : 'string';
      ctx.findings.error('INVALID_PROPERTY_TYPE', pointer, `Expected property ${pointer} to be of type ${expected}, but found ${jsonTypeOf(value)}.`);
    }
  }
}

/**
 * Dates (min, max, unavailable, init value — the Form's `init-values`
 * entry included) are ms-timestamp strings for DatePicker before 5.0 and
 * `YYYY-MM-DD` otherwise; min-date ≤ max-date. CalendarPicker's title, description,
 * min-days and max-days exist only in range mode, and only range mode takes
 * the `{start-date, end-date}` object forms.
 */
export const checkDatePickers: Rule = (ctx) => {
  const timestamps = !isAtLeast(ctx.version, V_5_0);
  for (const c of knownComponents(ctx)) {
    if (c.type === 'DatePicker') checkDates(ctx, c, timestamps);
    else if (c.type === 'CalendarPicker') {
      checkDates(ctx, c, false);
      checkCalendarMode(ctx, c);
    }
  }
};
