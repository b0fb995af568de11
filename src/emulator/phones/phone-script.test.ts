import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { behaviourOf, checkScripts, parsePhoneScripts, phoneDraw } from './phone-script.js';
import { backoffDelay } from './webhook-poster.js';

const numbers = Array.from({ length: 2000 }, (_, i) => String(15551000001 + i));

describe('phone scripts', () => {
  it('a phone\'s own script wins over the population, which wins over the default', () => {
    const scripts = { phones: { '15551000001': { abandonAt: 'X' } }, population: [{ share: 1, name: 'all', behaviour: { read: false } }], default: { open: false } };
    expect(behaviourOf(scripts, '15551000001')).toEqual({ behaviour: { abandonAt: 'X' }, rule: 'phone' });
    expect(behaviourOf(scripts, '15551000002')).toEqual({ behaviour: { read: false }, rule: 'all' });
    expect(behaviourOf({ default: { open: false } }, '15551000002')).toEqual({ behaviour: { open: false }, rule: 'default' });
  });

  it('population shares come out near their size, reproducibly per seed', () => {
    const scripts = { seed: 's1', population: [{ share: 0.1, name: 'a', behaviour: {} }, { share: 0.25, name: 'b', behaviour: {} }] };
    const count = (rule: string) => numbers.filter((n) => behaviourOf(scripts, n).rule === rule).length;
    expect(count('a') / numbers.length).toBeCloseTo(0.1, 1);
    expect(count('b') / numbers.length).toBeCloseTo(0.25, 1);
    expect(count('default') / numbers.length).toBeCloseTo(0.65, 1);
    expect(numbers.map((n) => behaviourOf(scripts, n).rule)).toEqual(numbers.map((n) => behaviourOf(scripts, n).rule));
    expect(numbers.filter((n) => phoneDraw('s1', n) !== phoneDraw('s2', n)).length).toBeGreaterThan(1990);
  });

  it('draws stay in [0, 1)', () => {
    fc.assert(fc.property(fc.string(), fc.string(), (seed, id) => {
      const d = phoneDraw(seed, id);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(1);
    }));
  });

  it('inconsistent scripts are reported with what is wrong', () => {
    expect(checkScripts({ population: [{ share: 1.5, behaviour: {} }] })).toEqual(['population[0].share must be a number between 0 and 1 (got 1.5)']);
    expect(checkScripts({ phones: { '15551000001': { abandonAt: 0 } } })).toEqual(['phones["15551000001"].abandonAt must be a screen id or a screen number from 1']);
    expect(checkScripts({ population: [{ share: 0.5, behaviour: {} }, { share: 0.5, behaviour: {} }] })).toEqual([]);
  });

  it('webhook retries back off exponentially up to the cap', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, { initialDelayMs: 1000, maxDelayMs: 5000 }))).toEqual([1000, 2000, 4000, 5000, 5000]);
  });
});

describe('script files', () => {
  it('read a valid file', () => {
    const parsed = parsePhoneScripts(JSON.stringify({ seed: 'x', population: [{ share: 0.1, behaviour: { abandonAt: 2 } }], phones: { '15551000001': { answers: { S: { email: 'a@b.example' } }, invalidFirst: {} } } }));
    expect(parsed).toEqual({ ok: true, scripts: { seed: 'x', population: [{ share: 0.1, behaviour: { abandonAt: 2 } }], phones: { '15551000001': { answers: { S: { email: 'a@b.example' } }, invalidFirst: {} } } } });
  });

  it('name where a file is wrong', () => {
    expect(parsePhoneScripts('{')).toMatchObject({ ok: false, problems: [expect.stringMatching(/^not JSON/)] });
    const typo = parsePhoneScripts(JSON.stringify({ population: [{ share: 0.1, behaviour: { abandonAtt: 2 } }] }));
    expect(typo).toMatchObject({ ok: false, problems: [expect.stringContaining('population.0.behaviour')] });
    expect(parsePhoneScripts(JSON.stringify({ population: [{ share: 0.8, behaviour: {} }, { share: 0.8, behaviour: {} }] }))).toMatchObject({ ok: false, problems: [expect.stringContaining('add up to 1.600')] });
  });

  it('never throws, whatever the text', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.jsonValue().map((v) => JSON.stringify(v))), (text) => {
      const parsed = parsePhoneScripts(text);
      if (!parsed.ok) expect(parsed.problems.length).toBeGreaterThan(0);
    }));
  });
});
