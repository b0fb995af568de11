import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ContactListError, normalisePhone, parseContactList } from './contact-list.js';

const lines = (...rows: string[]) => rows.join('\n');

describe('parseContactList', () => {
  it('normalises numbers to E.164 digits with the default region and keeps name and other columns', () => {
    const list = parseContactList(lines('Phone,Name,Opt-In,City', '06 1234 5678,Ann,yes,Utrecht', '+49 1512 3456789,Bob,TRUE,', '0031 6 2345 6789,Cem,1,Delft'), { defaultRegion: 'nl' });
    expect(list.rejected).toEqual([]);
    expect(list.contacts).toEqual([
      { line: 2, waId: '31612345678', name: 'Ann', vars: { city: 'Utrecht' } },
      { line: 3, waId: '4915123456789', name: 'Bob', vars: {} },
      { line: 4, waId: '31623456789', name: 'Cem', vars: { city: 'Delft' } },
    ]);
  });

  it('reports duplicates, unparsable and invalid numbers and missing opt-in with line numbers, keeping good rows', () => {
    const list = parseContactList(lines(
      'phone,name,opt_in',
      '+31612345678,Ann,yes',
      'call me,Bob,yes',
      '+31 6 1234 5678,Ann again,yes',
      '+3161234,Short,yes',
      '+31623456789,Dan,no',
      '+31634567890,Eve,',
      '+31645678901,Fay,maybe',
      '+31656789012,Gus,yes',
    ));
    expect(list.contacts.map((c) => [c.line, c.waId])).toEqual([[2, '31612345678'], [9, '31656789012']]);
    expect(list.rejected.map((r) => r.line)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(list.rejected[0]!.reason).toMatch(/line 3: "call me" cannot be read as a phone number/);
    expect(list.rejected[1]!.reason).toMatch(/line 4: \+31612345678 is a duplicate of line 2/);
    expect(list.rejected[2]!.reason).toMatch(/line 5: "\+3161234" is not a valid number/);
    expect(list.rejected[3]!.reason).toMatch(/line 6: no opt-in \(opt_in is "no"/);
    expect(list.rejected[4]!.reason).toMatch(/line 7: no opt-in \(the opt_in column is empty\)/);
    expect(list.rejected[5]!.reason).toMatch(/line 8: no opt-in \(opt_in is "maybe"; use yes\/true\/1\)/);
  });

  it('reports malformed rows (field count, broken quotes, multi-line fields) by their first line', () => {
    const list = parseContactList(lines(
      'phone;name;opt_in',
      '+31612345678;"Ann\nMarie";yes',
      '+31623456789;Bob;yes;extra',
      '+31634567890;"Cem"x;yes',
      '+31645678901;Dan;yes',
      '+31656789012;"Eve;yes',
      '+31667890123;Fay;yes',
    ));
    expect(list.contacts.map((c) => [c.line, c.name])).toEqual([[2, 'Ann\nMarie'], [6, 'Dan']]);
    expect(list.rejected.map((r) => r.line)).toEqual([4, 5, 7]);
    expect(list.rejected[0]!.reason).toMatch(/line 4: 4 fields where the header has 3/);
    expect(list.rejected[1]!.reason).toMatch(/line 5: malformed CSV/);
    expect(list.rejected[2]!.reason).toMatch(/lines 7–8: malformed CSV .*quote/i);
  });

  it('accepts a list without an opt-in column when it is marked opted-in, but still refuses an explicit "no"', () => {
    expect(parseContactList('phone\n+31612345678\n', { optedIn: true }).contacts).toHaveLength(1);
    const list = parseContactList('phone,opt_in\n+31612345678,\n+31623456789,no\n', { optedIn: true });
    expect(list.contacts.map((c) => c.line)).toEqual([2]);
    expect(list.rejected[0]!.line).toBe(3);
  });

  it('reads exported wa_ids (digits without +), a BOM, CRLF and blank lines', () => {
    const list = parseContactList('\uFEFFwa_id,opt_in\r\n31612345678,yes\r\n\r\n12015550123,yes\r\n');
    expect(list.contacts).toEqual([{ line: 2, waId: '31612345678', vars: {} }, { line: 4, waId: '12015550123', vars: {} }]);
  });

  it('refuses lists it cannot use at all, saying how to fix them', () => {
    const fail = (text: string, options = {}) => {
      try {
        parseContactList(text, options);
      } catch (error) {
        expect(error).toBeInstanceOf(ContactListError);
        return (error as Error).message;
      }
      throw new Error('expected a ContactListError');
    };
    expect(fail('')).toMatch(/empty: it needs a header row/);
    expect(fail('name,opt_in\nAnn,yes')).toMatch(/no phone column \(found: name, opt_in\)/);
    expect(fail('phone,name\n+31612345678,Ann')).toMatch(/no opt_in column: add one .* or mark the whole list as opted-in/);
    expect(fail('phone,Phone,opt_in\n1,2,yes')).toMatch(/column "phone" twice \(columns 1 and 2\)/);
    expect(fail('phone,opt_in\n+31612345678,yes', { defaultRegion: 'XX' })).toMatch(/Unknown region "XX"/);
    expect(fail('phone,opt_in\n1,yes\n2,yes\n3,yes', { maxRows: 2 })).toMatch(/3 rows, more than the limit of 2/);
  });
});

describe('normalisePhone', () => {
  it('needs a region or a country code for national numbers', () => {
    expect(normalisePhone('0612345678', undefined)).toMatchObject({ problem: expect.stringMatching(/no default region/) });
    expect(normalisePhone('0612345678', 'NL')).toEqual({ waId: '31612345678' });
  });
});

describe('parseContactList (fuzz)', () => {
  const cell = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('+31612345678', '0612345678', 'yes', 'no', '"', '""', ',', ';', '\n', '\r\n', ' '));
  it('on any text: returns or throws ContactListError; every kept row is a unique valid wa_id and every line is inside the file', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.array(fc.array(cell, { maxLength: 5 }), { maxLength: 8 }).map((rows) => ['phone,name,opt_in', ...rows.map((r) => r.join(','))].join('\n'))), fc.boolean(), (text, optedIn) => {
        let list;
        try {
          list = parseContactList(text, { defaultRegion: 'NL', optedIn });
        } catch (error) {
          expect(error).toBeInstanceOf(ContactListError);
          return;
        }
        const lineCount = text.split(/\r\n|\r|\n/).length;
        const ids = list.contacts.map((c) => c.waId);
        expect(new Set(ids).size).toBe(ids.length);
        for (const c of list.contacts) {
          expect(c.waId).toMatch(/^[1-9]\d{6,14}$/);
          expect(c.line).toBeGreaterThanOrEqual(2);
          expect(c.line).toBeLessThanOrEqual(lineCount);
        }
        for (const r of list.rejected) {
          expect(r.line).toBeGreaterThanOrEqual(2);
          expect(r.line).toBeLessThanOrEqual(lineCount + 1);
          expect(r.reason).toMatch(new RegExp(`^lines? ${r.line}`));
        }
      }),
      { numRuns: 400 },
    );
  });

  it('keeps exactly the opted-in, unique, valid numbers of a generated list', () => {
    const row = fc.record({ n: fc.integer({ min: 1_000_000, max: 9_999_999 }), opt: fc.constantFrom('yes', 'no', '1', 'true', ''), name: fc.string({ maxLength: 8 }).filter((s) => !/[",\r\n]/.test(s)) });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 30 }), (rows) => {
        const text = ['phone,name,opt_in', ...rows.map((r) => `+3161${r.n},${r.name},${r.opt}`)].join('\n');
        const list = parseContactList(text);
        const expected = new Map<string, number>();
        rows.forEach((r, i) => {
          const id = `3161${r.n}`;
          if (r.opt !== 'no' && r.opt !== '' && !expected.has(id)) expected.set(id, i + 2);
        });
        expect(list.contacts.map((c) => [c.waId, c.line])).toEqual([...expected.entries()]);
        expect(list.contacts.length + list.rejected.length).toBe(rows.length);
      }),
      { numRuns: 200 },
    );
  });
});
