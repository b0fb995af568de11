import { describe, expect, it } from 'vitest';
import { complete, createHandlerRegistry, error, next, type FlowHandler } from './flow-handlers.js';

const a: FlowHandler = () => next('A');
const b: FlowHandler = () => next('B');
const back: FlowHandler = () => next('BACK');
const init: FlowHandler = () => next('INIT');
const fallback: FlowHandler = () => complete();

describe('handler registry', () => {
  const registry = createHandlerRegistry();
  registry.register('f', { INIT: init, screens: { S1: { data_exchange: a, BACK: back }, S2: { data_exchange: b } }, fallback });
  registry.register('g', { screens: { S1: { data_exchange: a } } });

  it('picks the most specific handler: per screen and action, then INIT, then the fallback', () => {
    expect(registry.resolve('f', 'INIT', undefined)).toBe(init);
    expect(registry.resolve('f', 'data_exchange', 'S1')).toBe(a);
    expect(registry.resolve('f', 'BACK', 'S1')).toBe(back);
    expect(registry.resolve('f', 'data_exchange', 'S2')).toBe(b);
    expect(registry.resolve('f', 'BACK', 'S2')).toBe(fallback);
    expect(registry.resolve('f', 'data_exchange', 'S3')).toBe(fallback);
    expect(registry.resolve('f', 'data_exchange', undefined)).toBe(fallback);
  });

  it('finds nothing for unknown flows, unhandled actions without fallback, or prototype names', () => {
    expect(registry.resolve('nope', 'INIT', undefined)).toBeUndefined();
    expect(registry.resolve('g', 'INIT', undefined)).toBeUndefined();
    expect(registry.resolve('g', 'BACK', 'S1')).toBeUndefined();
    expect(registry.resolve('g', 'data_exchange', 'constructor')).toBeUndefined();
    expect(registry.resolve('g', 'data_exchange', '__proto__')).toBeUndefined();
    expect(registry.resolve('g', 'data_exchange', 'toString')).toBeUndefined();
  });

  it('refuses duplicate and empty flow ids', () => {
    expect(() => registry.register('f', {})).toThrow(/already registered/);
    expect(() => registry.register('', {})).toThrow(/empty/);
    expect(registry.flowIds()).toEqual(['f', 'g']);
  });

  it('refuses handlers of the wrong shape (e.g. from a module loaded by `serve --handlers`)', () => {
    const loose = (value: unknown) => value as never;
    expect(() => registry.register('h1', loose({ INIT: 'next' }))).toThrow(/INIT must be a function/);
    expect(() => registry.register('h2', loose({ fallback: 1 }))).toThrow(/fallback/);
    expect(() => registry.register('h3', loose({ screens: { S: { data_exchange: {} } } }))).toThrow(/screens\.S/);
    expect(() => registry.register('h4', loose({ screens: [] as unknown }))).not.toThrow();
    expect(registry.flowIds()).toEqual(['f', 'g', 'h4']);
  });

  it('builds results', () => {
    expect(next('X', { a: 1 })).toEqual({ kind: 'next', screen: 'X', data: { a: 1 } });
    expect(error('m', { f: 'bad' })).toEqual({ kind: 'error', message: 'm', fieldErrors: { f: 'bad' } });
    expect(complete({ k: 'v' })).toEqual({ kind: 'complete', params: { k: 'v' } });
  });
});
