import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { flowTemplate } from '../../whatsapp/graph/messages-api.js';
import { ContactListError, parseContactList } from './contact-list.js';
import { storedParams, templateBodyOf, withStoredParams, type TemplateBody } from './template-params.js';

const lines = (...rows: string[]) => rows.join('\n');
const positional = (n: number): TemplateBody => ({ format: 'POSITIONAL', names: Array.from({ length: n }, (_, i) => String(i + 1)) });
const named = (...names: string[]): TemplateBody => ({ format: 'NAMED', names });
const refused = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ContactListError);
    return (error as Error).message;
  }
  throw new Error('expected a ContactListError');
};

describe('template body parameters from the contact list', () => {
  const csv = lines('phone,first_name,city,opt_in', '+31612345678,Ann,Delft,yes', '+31623456789,Bob,,yes', '+31634567890,Cem,Gouda,yes');

  it('fills positional placeholders from the columns given in order, refusing a row with an empty value by line', () => {
    const list = parseContactList(csv, { params: ['first_name', 'City'], template: positional(2) });
    expect(list.contacts.map((c) => [c.line, c.params])).toEqual([[2, [{ text: 'Ann' }, { text: 'Delft' }]], [4, [{ text: 'Cem' }, { text: 'Gouda' }]]]);
    expect(list.rejected).toEqual([{ line: 3, reason: 'line 3: "city" (column 3), the template\'s body parameter {{2}} is empty; fill it in or remove the row (WhatsApp refuses an empty parameter)' }]);
    // first_name is also the list's name column: it still fills a parameter
    expect(list.contacts[0]!.name).toBe('Ann');
  });

  it('uses the columns named 1, 2… when no columns are given', () => {
    const list = parseContactList(lines('phone,1,2,opt_in', '+31612345678,Ann,Delft,yes'));
    expect(list.contacts[0]!.params).toEqual([{ text: 'Ann' }, { text: 'Delft' }]);
    expect(parseContactList(lines('phone,opt_in', '+31612345678,yes')).contacts[0]!.params).toBeUndefined();
  });

  it('fills named placeholders from same-named columns or placeholder=column, and {{name}} from any name column', () => {
    const list = parseContactList(lines('phone,full_name,town,opt_in', '+31612345678,Ann de Vries,Delft,yes'), { params: ['city=town'], template: named('name', 'city') });
    expect(list.contacts[0]!.params).toEqual([{ name: 'name', text: 'Ann de Vries' }, { name: 'city', text: 'Delft' }]);
    const unknownTemplate = parseContactList(csv, { params: ['first_name=first_name'] });
    expect(unknownTemplate.contacts[0]!.params).toEqual([{ name: 'first_name', text: 'Ann' }]);
  });

  it('refuses the list when a column is missing or the parameters do not fit the template, saying how to fix it', () => {
    expect(refused(() => parseContactList(csv, { template: positional(2) }))).toMatch(/body parameter \{\{1\}\} is filled from the column "1", but the contact list has no such column \(columns: phone, first_name, city, opt_in\): add a column "1", or give the columns in order: --param <column>/);
    expect(refused(() => parseContactList(csv, { params: ['first_name'], template: positional(2) }))).toMatch(/has 2 placeholder\(s\) \(\{\{1\}\}, \{\{2\}\}\) but 1 parameter\(s\) were given/);
    expect(refused(() => parseContactList(csv, { template: named('first_name', 'postcode') }))).toMatch(/\{\{postcode\}\} is filled from the column "postcode".*--param postcode=<column>/);
    expect(refused(() => parseContactList(csv, { params: ['zip=city'], template: named('first_name') }))).toMatch(/no placeholder \{\{zip\}\} \(it has \{\{first_name\}\}\)/);
    expect(refused(() => parseContactList(csv, { params: ['a=city'], template: positional(1) }))).toMatch(/positional placeholders/);
    expect(refused(() => parseContactList(csv, { params: ['city'], template: positional(0) }))).toMatch(/no placeholders/);
    expect(refused(() => parseContactList(csv, { params: ['city', 'a=city'] }))).toMatch(/Mixed parameters/);
    expect(refused(() => parseContactList(csv, { params: [' '] }))).toMatch(/Parameter 1 \(" "\) is empty/);
  });

  it('refuses rows whose value WhatsApp would refuse (line break, tab, 5 spaces), by line', () => {
    const list = parseContactList(lines('phone,1,opt_in', '+31612345678,"two\nlines",yes', '+31623456789,a\tb,yes', '+31634567890,a     b,yes', '+31645678901,a    b,yes'), { template: positional(1) });
    expect(list.contacts.map((c) => c.line)).toEqual([6]); // the quoted line break makes row 2 span lines 2–3
    expect(list.rejected.map((r) => r.reason)).toEqual([
      expect.stringMatching(/^line 2: "1" \(column 2\).*contains a line break/),
      expect.stringMatching(/^line 4: .*contains a tab/),
      expect.stringMatching(/^line 5: .*more than 4 consecutive spaces/),
    ]);
  });

  it('reads a template\'s placeholders from its components', () => {
    expect(templateBodyOf([{ type: 'BODY', text: 'Hi {{2}} and {{1}}, {{1}}' }])).toEqual(positional(2));
    expect(templateBodyOf([{ type: 'body', text: 'Hi {{first_name}} in {{city}}' }])).toEqual(named('first_name', 'city'));
    expect(templateBodyOf([{ type: 'BODY', text: 'Hi' }], 'NAMED')).toEqual(named());
    expect(templateBodyOf([{ type: 'BUTTONS' }])).toBeUndefined();
  });
});

/** A value a contact list can hold and WhatsApp accepts: no surrounding spaces (CSV fields are trimmed), no line break/tab/5 spaces. */
const paramValue = fc.string({ unit: fc.constantFrom('a', 'Z', 'é', '漢', '😀', ' ', ',', '"', ';', "'", '{', '}', '=', '-', '0'), minLength: 1, maxLength: 20 })
  .map((s) => s.trim())
  .filter((s) => s !== '' && !/ {5}/.test(s));
const csvField = (s: string) => `"${s.replace(/"/g, '""')}"`;

describe('property: CSV values reach the message body unchanged', () => {
  it('any row\'s parameter values round-trip through parsing, storage and the Graph request body', () => {
    fc.assert(fc.property(fc.array(paramValue, { minLength: 1, maxLength: 5 }), fc.boolean(), (values, isNamed) => {
      const columns = values.map((_, i) => `p${i}`);
      const text = lines(['phone', 'opt_in', ...columns].join(','), ['+31612345678', 'yes', ...values.map(csvField)].join(','));
      const template = isNamed ? named(...columns) : positional(values.length);
      const list = parseContactList(text, isNamed ? { template } : { template, params: columns });
      expect(list.rejected).toEqual([]);
      const stored = storedParams(JSON.parse(JSON.stringify(withStoredParams(list.contacts[0]!.vars, list.contacts[0]!.params))) as Record<string, string>)!;
      const body = flowTemplate({ to: '31612345678', name: 't', language: 'en_US', bodyParameters: stored, flowButton: { flowToken: 'x' } });
      const parameters = (body.components as Array<{ type: string; parameters: Array<{ text: string; parameter_name?: string }> }>)[0]!.parameters;
      expect(parameters.map((p) => p.text)).toEqual(values);
      expect(parameters.map((p) => p.parameter_name)).toEqual(isNamed ? columns : values.map(() => undefined));
    }), { numRuns: 300 });
  });
});
