import { describe, expect, it } from 'vitest';
import { completeFooter, oneScreen, run } from '../../../test/runtime/flows.js';
import { autoFill } from './auto-fill.js';
import { toDay, weekDay } from './dates.js';

describe('autoFill', () => {
  it('derives values that satisfy every constraint', async () => {
    const rt = await run(oneScreen('7.3', [
      { type: 'TextInput', name: 'code', label: 'Code', pattern: '^[A-Z]{2}-\\d{3}$', 'helper-text': 'AB-123', required: true },
      { type: 'TextInput', name: 'nick', label: 'Nick', 'min-chars': 15, 'max-chars': 20, required: true },
      { type: 'TextInput', name: 'mail', label: 'Mail', 'input-type': 'email', 'max-chars': 10, required: true },
      { type: 'TextInput', name: 'pin', label: 'PIN', 'input-type': 'passcode', 'min-chars': 6, required: true },
      { type: 'TextArea', name: 'notes', label: 'Notes', 'max-length': 5 },
      { type: 'CheckboxGroup', name: 'tags', label: 'Tags', 'min-selected-items': 3, 'data-source': ['a', 'b', 'c', 'd'].map((id) => ({ id, title: id })) },
      { type: 'RadioButtonsGroup', name: 'size', label: 'Size', 'data-source': [{ id: 's', title: 'S', enabled: false }, { id: 'm', title: 'M' }] },
      { type: 'CalendarPicker', name: 'day', label: 'Day', 'min-date': '2025-03-01', 'unavailable-dates': ['2025-03-04'], 'include-days': ['Tue', 'Thu'], required: true },
      { type: 'CalendarPicker', name: 'stay', mode: 'range', label: { 'start-date': 'In', 'end-date': 'Out' }, 'min-date': '2025-03-01', 'min-days': 4, 'max-days': 6, 'include-days': ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'], required: { 'start-date': true, 'end-date': true } },
      { type: 'OptIn', name: 'terms', label: 'Terms', required: true },
      completeFooter(['code', 'nick', 'mail', 'pin', 'notes', 'tags', 'size', 'day', 'stay', 'terms']),
    ]));
    const result = await autoFill(rt);
    expect(result.stuck).toBeUndefined();
    const r = rt.response!;
    expect(r.code).toMatch(/^[A-Z]{2}-\d{3}$/);
    expect((r.nick as string).length).toBeGreaterThanOrEqual(15);
    expect((r.mail as string).length).toBeLessThanOrEqual(10);
    expect(r.mail).toMatch(/^[^@\s]+@[^@\s]+\.[^@\s]+$/);
    expect(r.pin).toMatch(/^\d{6,}$/);
    expect((r.notes as string).length).toBeLessThanOrEqual(5);
    expect(r.tags).toHaveLength(3);
    expect(r.size).toBe('m');
    expect(r.day).toBe('2025-03-06'); // Tue 4th unavailable → Thu 6th
    const stay = r.stay as Record<string, string>;
    const [start, end] = [toDay(stay['start-date'])!, toDay(stay['end-date'])!];
    expect(end - start + 1).toBeGreaterThanOrEqual(4);
    expect(['Sat', 'Sun']).not.toContain(weekDay(start));
    expect(['Sat', 'Sun']).not.toContain(weekDay(end));
    expect(r.terms).toBe(true);
  });

  it('keeps valid init-values', async () => {
    const rt = await run(oneScreen('7.3', [{ type: 'TextInput', name: 'a', label: 'A', 'init-value': 'kept' }, completeFooter(['a'])]));
    await autoFill(rt);
    expect(rt.response?.a).toBe('kept');
  });

  it('reports a screen it cannot get past, with the errors', async () => {
    const rt = await run(oneScreen('7.3', [{ type: 'TextInput', name: 'a', label: 'A', 'min-chars': 5, 'max-chars': 3, required: true }, completeFooter(['a'])]));
    const result = await autoFill(rt);
    expect(result).toMatchObject({ status: 'active', stuck: { screen: 'ONLY', reason: 'blocked', errors: { a: 'Enter at least 5 characters.' } } });
  });

  it('stops at the step limit', async () => {
    const loop = {
      version: '7.3',
      screens: ['A', 'B'].map((id, i) => ({
        id, title: id,
        layout: { type: 'SingleColumnLayout', children: [{ type: 'Footer', label: 'Go', 'on-click-action': { name: 'navigate', next: { type: 'screen', name: i === 0 ? 'B' : 'A' }, payload: {} } }] },
      })),
    };
    const rt = await run(loop, { initialScreen: 'A' });
    const result = await autoFill(rt, 7);
    expect(result).toMatchObject({ steps: 7, stuck: { reason: 'step limit reached' } });
  });

  it('says when there is nothing to press', async () => {
    const rt = await run({ version: '7.3', screens: [{ id: 'X', layout: { type: 'SingleColumnLayout', children: [{ type: 'TextBody', text: 'hi' }] } }] });
    expect((await autoFill(rt)).stuck?.reason).toBe('nothing to press forward');
  });
});
