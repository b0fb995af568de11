import { describe, expect, it } from 'vitest';
import { component, completeFooter, oneScreen, run } from '../../../test/runtime/flows.js';
import { CHECK_MESSAGES as M } from './input-checks.js';

/** Set one value, press the footer, return the press result and the field's error. */
async function attempt(version: string, input: Record<string, unknown>, value: unknown) {
  const name = String(input.name);
  const rt = await run(oneScreen(version, [input, completeFooter([name])]));
  if (value !== undefined) await rt.answer(name, value);
  const result = await rt.press('footer');
  return { rt, result, error: component(rt, name)?.error };
}

const textInput = (extra: Record<string, unknown> = {}) => ({ type: 'TextInput', name: 'field', label: 'Field', ...extra });

describe('client checks block the footer and show a message', () => {
  it('a wrong email', async () => {
    const { rt, result, error } = await attempt('7.3', textInput({ 'input-type': 'email' }), 'ann.example.com');
    expect(result).toMatchObject({ ok: false, reason: 'blocked', errors: { field: M.email } });
    expect(error).toBe(M.email);
    expect(rt.status).toBe('active');
    expect(rt.events.at(-1)).toEqual({ type: 'blocked', screen: 'ONLY', errors: { field: M.email } });
  });

  it('a correct email passes and the value reaches response_json', async () => {
    const { rt, result } = await attempt('7.3', textInput({ 'input-type': 'email' }), 'ann@example.com');
    expect(result.ok).toBe(true);
    expect(rt.response).toEqual({ field: 'ann@example.com', flow_token: 'tok' });
  });

  it('a too-long text (max-chars, and the default 80)', async () => {
    expect((await attempt('7.3', textInput({ 'max-chars': 5 }), 'abcdef')).error).toBe(M.maxChars(5));
    expect((await attempt('7.3', textInput(), 'x'.repeat(81))).error).toBe(M.maxChars(80));
    expect((await attempt('7.3', textInput(), 'x'.repeat(80))).result.ok).toBe(true);
  });

  it('a too-short text (min-chars)', async () => {
    expect((await attempt('7.3', textInput({ 'min-chars': 3 }), 'ab')).error).toBe(M.minChars(3));
  });

  it('a too-long TextArea (max-length)', async () => {
    const area = { type: 'TextArea', name: 'field', label: 'Notes', 'max-length': 4 };
    expect((await attempt('7.3', area, 'hello')).error).toBe(M.maxChars(4));
    expect((await attempt('7.3', area, 'hell')).result.ok).toBe(true);
  });

  it('a pattern miss (≥6.2), ignored before 6.2', async () => {
    const input = textInput({ pattern: '^\\d{3}$', 'helper-text': 'Three digits' });
    expect((await attempt('6.2', input, '12a')).error).toBe(M.pattern);
    expect((await attempt('6.2', input, '123')).result.ok).toBe(true);
    expect((await attempt('6.1', input, '12a')).result.ok).toBe(true);
  });

  it('input types number, phone and passcode', async () => {
    expect((await attempt('7.3', textInput({ 'input-type': 'number' }), '4x')).error).toBe(M.number);
    expect((await attempt('7.3', textInput({ 'input-type': 'number' }), '-4.5')).result.ok).toBe(true);
    expect((await attempt('7.3', textInput({ 'input-type': 'phone' }), 'call me')).error).toBe(M.phone);
    expect((await attempt('7.3', textInput({ 'input-type': 'passcode' }), '12ab')).error).toBe(M.passcode);
  });

  it('a missing required field, and a required OptIn', async () => {
    expect((await attempt('7.3', textInput({ required: true }), undefined)).error).toBe(M.required);
    expect((await attempt('7.3', textInput({ required: false }), undefined)).result.ok).toBe(true);
    const optIn = { type: 'OptIn', name: 'field', label: 'I agree', required: true };
    expect((await attempt('7.3', optIn, undefined)).error).toBe(M.optInRequired);
    expect((await attempt('7.3', optIn, true)).result.ok).toBe(true);
  });

  it('a date outside bounds (5.0 ISO dates)', async () => {
    const picker = { type: 'DatePicker', name: 'field', label: 'Day', 'min-date': '2024-10-21', 'max-date': '2024-11-12' };
    expect((await attempt('5.0', picker, '2024-10-20')).error).toBe(M.beforeMin('2024-10-21'));
    expect((await attempt('5.0', picker, '2024-11-13')).error).toBe(M.afterMax('2024-11-12'));
    expect((await attempt('5.0', picker, '2024-11-12')).result.ok).toBe(true);
  });

  it('an unavailable date, also with ms-timestamp bounds before 5.0', async () => {
    const iso = { type: 'DatePicker', name: 'field', label: 'Day', 'unavailable-dates': ['2024-10-28'] };
    expect((await attempt('5.0', iso, '2024-10-28')).error).toBe(M.unavailable);
    const legacy = { type: 'DatePicker', name: 'field', label: 'Day', 'unavailable-dates': [String(Date.UTC(2024, 9, 28))] };
    expect((await attempt('4.0', legacy, '2024-10-28')).error).toBe(M.unavailable);
    expect((await attempt('4.0', legacy, '2024-10-29')).result.ok).toBe(true);
  });

  it('CalendarPicker: excluded week days and range lengths', async () => {
    const single = { type: 'CalendarPicker', name: 'field', label: 'Day', 'include-days': ['Mon', 'Tue'] };
    expect((await attempt('6.1', single, '2025-01-08')).error).toBe(M.excludedDay); // a Wednesday
    expect((await attempt('6.1', single, '2025-01-07')).result.ok).toBe(true);
    const range = { type: 'CalendarPicker', name: 'field', mode: 'range', label: { 'start-date': 'From', 'end-date': 'To' }, 'min-days': 3, 'max-days': 5 };
    expect((await attempt('6.1', range, { 'start-date': '2025-01-06', 'end-date': '2025-01-07' })).error).toBe(M.minDays(3));
    expect((await attempt('6.1', range, { 'start-date': '2025-01-06', 'end-date': '2025-01-12' })).error).toBe(M.maxDays(5));
    expect((await attempt('6.1', range, { 'start-date': '2025-01-08', 'end-date': '2025-01-06' })).error).toBe(M.rangeOrder);
    expect((await attempt('6.1', range, { 'start-date': '2025-01-06', 'end-date': '2025-01-08' })).result.ok).toBe(true);
  });

  it('too few and too many checkboxes', async () => {
    const group = {
      type: 'CheckboxGroup', name: 'field', label: 'Pick', 'min-selected-items': 2, 'max-selected-items': 3,
      'data-source': ['a', 'b', 'c', 'd'].map((id) => ({ id, title: id.toUpperCase() })),
    };
    expect((await attempt('7.3', group, ['a'])).error).toBe(M.minSelected(2));
    expect((await attempt('7.3', group, ['a', 'b', 'c', 'd'])).error).toBe(M.maxSelected(3));
    const ok = await attempt('7.3', group, ['a', 'c']);
    expect(ok.result.ok).toBe(true);
    expect(ok.rt.response?.field).toEqual(['a', 'c']);
  });

  it('a value that is not one of the options', async () => {
    const radio = { type: 'RadioButtonsGroup', name: 'field', label: 'Pick', 'data-source': [{ id: 'a', title: 'A' }] };
    const rt = await run(oneScreen('7.3', [radio, completeFooter(['field'])]));
    rt.setValue('field', 'zzz');
    expect((await rt.press('footer')).errors).toEqual({ field: M.notAnOption });
  });

  it('too few uploaded files', async () => {
    const picker = { type: 'PhotoPicker', name: 'field', label: 'Photos', 'min-uploaded-photos': 2 };
    expect((await attempt('7.3', picker, undefined)).error).toBe(M.minFiles(2));
  });

  it('hidden and disabled inputs do not block', async () => {
    expect((await attempt('7.3', textInput({ required: true, visible: false }), undefined)).result.ok).toBe(true);
    expect((await attempt('7.3', textInput({ required: true, enabled: false }), undefined)).result.ok).toBe(true);
  });

  it('editing a field clears its error', async () => {
    const { rt } = await attempt('7.3', textInput({ 'input-type': 'email' }), 'nope');
    rt.setValue('field', 'still wrong');
    expect(component(rt, 'field')?.error).toBeUndefined();
    expect(rt.validate()).toEqual({ field: M.email });
  });
});
