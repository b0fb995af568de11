import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FindingList, type Finding } from '../../finding.js';
import type { JsonObject } from '../../json.js';
import { parseVersion } from '../../version.js';
import { endpointFlow, staticFlow } from '../cases/base.js';
import { mutate } from '../cases/case.js';
import { cases as expressionCases } from '../cases/expr-expressions.cases.js';
import { cases as referenceCases } from '../cases/expr-references.cases.js';
import { checkExpressions } from './expressions.js';
import { checkReferences } from './references.js';

/** Findings of the reference and expression rules alone. */
function run(flow: JsonObject, versionOverride?: string): Finding[] {
  const version = parseVersion(versionOverride ?? flow.version);
  if (!version) throw new Error('bad version');
  const findings = new FindingList();
  const ctx = { flow, version, hasEndpoint: flow.data_api_version !== undefined, findings };
  checkReferences(ctx);
  checkExpressions(ctx);
  return findings.items;
}

const fixturesDir = '/work/shared/fixtures/meta/';
const fixtures = readdirSync(fixturesDir).filter((f) => f.endsWith('.json'));

describe('reference and expression rules', () => {
  it.each(fixtures)('Meta fixture %s gives no finding', (file) => {
    const flow = JSON.parse(readFileSync(fixturesDir + file, 'utf8')) as JsonObject;
    expect(run(flow)).toEqual([]);
  });

  it.each([...referenceCases, ...expressionCases].map((c) => [c.id, c] as const))('case %s gives its finding', (_id, c) => {
    const found = run(c.flow, c.versionOverride);
    expect(found.some((f) => f.code === c.expect.code && f.pointer === c.expect.pointer), JSON.stringify(found)).toBe(true);
    expect(found.filter((f) => f.code !== c.expect.code), JSON.stringify(found)).toEqual([]);
  });

  it('has at least 45 corpus cases', () => {
    expect(referenceCases.length + expressionCases.length).toBeGreaterThanOrEqual(45);
  });

  it('accepts valid nested data paths and item properties', () => {
    const flow = mutate(endpointFlow(), (f) => {
      f.screens[0].data.profile = {
        type: 'object',
        properties: { name: { type: 'string' }, address: { type: 'object', properties: { city: { type: 'string' } } } },
        __example__: { name: 'Ann', address: { city: 'Oslo' } },
      };
      f.screens[0].layout.children.push(
        { type: 'TextBody', text: '${data.profile.address.city}' },
        { type: 'TextBody', text: '${data.slots.title}' },
      );
    });
    expect(run(flow)).toEqual([]);
  });

  it('accepts global references to later screens and CalendarPicker range keys', () => {
    const flow = mutate(staticFlow(), (f) => {
      f.screens[0].layout.children[0].text = '${screen.CONFIRM.data.full_name}';
      f.screens[1].layout.children[0].text = '${screen.DETAILS.form.email}';
      f.screens[0].layout.children[1].children.splice(3, 0, { type: 'CalendarPicker', name: 'stay', mode: 'range', label: { 'start-date': 'In', 'end-date': 'Out' } });
      f.screens[1].layout.children.splice(1, 0, { type: 'TextBody', text: '${screen.DETAILS.form.stay.start-date}' });
    });
    expect(run(flow)).toEqual([]);
  });

  it('lets a number be shown as text and compares a numeric TextInput with a number', () => {
    const flow = mutate(staticFlow(), (f) => {
      f.screens[0].layout.children[1].children.splice(3, 0, { type: 'TextInput', name: 'age', label: 'Age', 'input-type': 'number' });
      f.screens[0].layout.children[0].visible = '`${form.age} >= 18`';
      f.screens[0].layout.children.splice(1, 0, { type: 'TextBody', text: '${form.age}' });
    });
    expect(run(flow)).toEqual([]);
  });

  it("leaves a Form's own name in a payload to the payload rule", () => {
    const flow = mutate(staticFlow(), (f) => {
      f.screens[0].layout.children[1].children[3]['on-click-action'].payload.email = '${form.details_form}';
    });
    expect(run(flow)).toEqual([]);
  });

  it('accepts bound visible, init-values and error-messages of the right types, and only those', () => {
    const flow = mutate(endpointFlow(), (f) => {
      Object.assign(f.screens[0].data, {
        show: { type: 'boolean', __example__: true },
        errors: { type: 'object', __example__: { slot: 'Taken' } },
        init: { type: 'object', __example__: { slot: '1' } },
      });
      const form = f.screens[0].layout.children[0];
      Object.assign(form, { 'error-messages': '${data.errors}', 'init-values': '${data.init}' });
      form.children[0].visible = '${data.show}';
      f.screens[0].layout.children.push({ type: 'TextBody', text: '${data.errors}', visible: '${data.show}' });
    });
    // Only the object bound to a text is wrong.
    expect(run(flow).map((x) => x.pointer)).toEqual(['/screens/0/layout/children/1/text']);
  });

  it('lets a component error-message bind a string or an object (spec §1.4)', () => {
    const flow = mutate(staticFlow(), (f) => {
      f.screens[1].data.errors = { type: 'object', __example__: { a: 'b' } };
      f.screens[1].layout.children.splice(1, 0, { type: 'TextInput', name: 'code', label: 'Code', 'error-message': '${data.errors}' });
    });
    expect(run(flow)).toEqual([]);
  });

  it('reports each unresolved reference of one value once, and nothing more for its types', () => {
    const flow = mutate(staticFlow(), (f) => {
      f.screens[1].layout.children[0].text = "`${data.a} ' ' ${data.a} ' ' ${data.b}`";
    });
    expect(run(flow).map((f) => f.message)).toEqual([
      "Missing dynamic data '${data.a}' in the data model of screen 'CONFIRM'.",
      "Missing dynamic data '${data.b}' in the data model of screen 'CONFIRM'.",
    ]);
  });

  it('never throws on random values at random component properties', () => {
    const keys = ['text', 'visible', 'data-source', 'init-values', 'condition', 'value', 'payload', 'title', 'label'];
    const value = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.constantFrom('${data.x}', '`${form.full_name} == 1`', '${screen.CONFIRM.data.full_name}', '`(`', '${data.full_name.x.y}', "`'a' ${data.slots}`"),
    );
    fc.assert(
      fc.property(fc.constantFrom(0, 1), fc.constantFrom(...keys), value, fc.constantFrom('If', 'Switch', 'TextBody', 'Form'), (screen, key, v, type) => {
        const flow = mutate(staticFlow(), (f) => {
          f.screens[screen].layout.children.unshift({ type, [key]: v, then: [{ type: 'TextBody', text: v }], cases: { a: [{ type: 'TextBody', text: v }] } });
          f.screens[screen].data = { x: v };
        });
        expect(() => run(flow)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});
