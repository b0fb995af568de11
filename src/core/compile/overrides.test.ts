import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { formModelSchema } from '../form/form-model.js';
import { compileForm } from './compile-form.js';
import { parseOverrides } from './overrides.js';

const model = formModelSchema.parse({
  id: 'o', title: 'Overrides',
  pages: [{
    id: 'p', title: 'Page', fields: [
      { id: 'a', key: 'a', type: 'short_text', label: 'First' },
      { id: 'b', key: 'b', type: 'multiple_choice', label: 'Second', options: [{ id: 'x', value: 'x', label: 'X' }, { id: 'y', value: 'y', label: 'Y' }] },
      { id: 'c', key: 'c', type: 'single_choice', label: 'Third', options: [{ id: 'x', value: 'x', label: 'X' }, { id: 'y', value: 'y', label: 'Y' }] },
      { id: 'd', key: 'd', type: 'short_text', label: 'Fourth' },
    ],
  }],
});

describe('parseOverrides', () => {
  it('accepts a YAML customisation file', () => {
    const r = parseOverrides(parse('flow:\n  submitLabel: Send\nfields:\n  a:\n    label: Your name\n    order: 2\n'));
    expect(r.ok).toBe(true);
  });

  it('reports wrong values with their paths', () => {
    const r = parseOverrides({ flow: { submitLabel: '' }, fields: { a: { component: 'slider', colour: 1 } } });
    expect(r.ok ? [] : r.errors.map((e) => e.path).sort()).toEqual(['fields.a', 'fields.a.component', 'flow.submitLabel']);
  });
});

describe('compileForm with overrides', () => {
  const parsed = parseOverrides({
    flow: { submitLabel: 'Send it', successTitle: 'All done', nextLabel: 'Next' },
    fields: { a: { label: 'Name', help: 'As on your ID', order: 3 }, b: { component: 'checkbox' }, c: { component: 'dropdown' }, d: { screen: 'own' } },
  });
  if (!parsed.ok) throw new Error('bad overrides');
  const { flow } = compileForm(model, { overrides: parsed.overrides });
  const all = flow.screens.flatMap((s) => s.layout.children.map((c) => ({ screen: s.id, c })));
  const named = (name: string) => all.find((x) => 'name' in x.c && x.c.name === name);

  it('applies label, help and component choices', () => {
    expect(named('a')?.c).toMatchObject({ type: 'TextInput', label: 'Name', 'helper-text': 'As on your ID' });
    expect(named('b')?.c.type).toBe('CheckboxGroup');
    expect(named('c')?.c.type).toBe('Dropdown');
  });

  it('applies order and screen grouping', () => {
    const firstScreen = flow.screens[0]?.layout.children.filter((c) => 'name' in c).map((c) => ('name' in c ? c.name : ''));
    expect(firstScreen).toEqual(['b', 'c', 'a']);
    expect(named('d')?.screen).not.toBe(named('a')?.screen);
  });

  it('applies flow texts', () => {
    const text = JSON.stringify(flow);
    expect(text).toContain('"Send it"');
    expect(text).toContain('"All done"');
    expect(text).toContain('"Next"');
  });
});

describe('component overrides that change or do not fit the field', () => {
  it('turns a short text into a TextArea and reports a component that does not fit', () => {
    const r = compileForm(model, { overrides: { fields: { a: { component: 'textarea' }, d: { component: 'chips' } } } });
    const a = r.flow.screens.flatMap((s) => s.layout.children).find((c) => 'name' in c && c.name === 'a');
    expect(a?.type).toBe('TextArea');
    expect(r.report.some((e) => e.fieldId === 'd' && e.kind === 'approximated')).toBe(true);
    expect(r.report.some((e) => e.fieldId === 'a' && e.kind === 'approximated')).toBe(false);
  });
});
