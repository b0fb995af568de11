/**
 * `flowbridge send --param` parsing: the split at the first unescaped "=",
 * the escapes, and the value checks it shares with broadcasts and the API.
 */
import { describe, expect, it } from 'vitest';
import { bodyParameterProblem, paramValueProblem } from '../../src/services/template-body-params.js';
import { parseSendParams, splitParam } from '../../src/cli/commands/send-params.js';
import { CliUsageError } from '../../src/cli/commands/messaging-context.js';

describe('splitParam', () => {
  it.each([
    ['Ann', [undefined, 'Ann']],
    ['first_name=Ann', ['first_name', 'Ann']],
    ['{{city}}=a=b', ['city', 'a=b']],
    ['x\\=1', [undefined, 'x=1']],
    ['a\\\\=b', ['a\\', 'b']],
    ['C:\\dir\\', [undefined, 'C:\\dir\\']],
    ['=Ann', ['', 'Ann']],
  ] as const)('%j → %j', (raw, expected) => {
    expect(splitParam(raw)).toEqual(expected);
  });
});

describe('parseSendParams', () => {
  it('gives positional or named parameters in order; none for no --param', () => {
    expect(parseSendParams([])).toEqual([]);
    expect(parseSendParams(['Ann', 'Delft\\=Centrum'])).toEqual([{ text: 'Ann' }, { text: 'Delft=Centrum' }]);
    expect(parseSendParams(['first_name=Ann', 'city=Delft'])).toEqual([{ name: 'first_name', text: 'Ann' }, { name: 'city', text: 'Delft' }]);
    expect(parseSendParams(['Ann    Marie'])).toEqual([{ text: 'Ann    Marie' }]);
  });

  it.each([
    [['=Ann'], /--param 1 \("=Ann"\) is named "": a placeholder name/],
    [['a=Ann', 'a=Bob'], /--param 2 .* repeats the name "a" given earlier/],
    [['first_name='], /--param 1 .* is empty/],
    [['Ann', 'b\r'], /--param 2 .* contains a line break/],
  ])('refuses %j', (entries, message) => {
    expect(() => parseSendParams(entries)).toThrow(CliUsageError);
    expect(() => parseSendParams(entries)).toThrow(message);
  });
});

describe('the shared checks (services/template-body-params.ts)', () => {
  it('paramValueProblem names the rule, and lets up to 4 spaces through', () => {
    expect(paramValueProblem('Ann    Marie')).toBeUndefined();
    expect(paramValueProblem('')).toBe('is empty (WhatsApp refuses an empty parameter)');
    expect(paramValueProblem('a\tb')).toBe('contains a tab; WhatsApp refuses template parameters with line breaks, tabs or more than 4 consecutive spaces');
    expect(paramValueProblem('a     b')).toMatch(/^contains more than 4 consecutive spaces/);
  });

  it('bodyParameterProblem gives the first problem with its 0-based index and field', () => {
    expect(bodyParameterProblem([])).toBeUndefined();
    expect(bodyParameterProblem([{ name: 'first_name', text: 'Ann' }, { name: 'city_2', text: 'Delft' }])).toBeUndefined();
    expect(bodyParameterProblem([{ text: 'Ann' }, { text: '' }, { text: '\n' }])).toMatchObject({ index: 1, field: 'text' });
    expect(bodyParameterProblem([{ text: 'Ann' }, { name: 'city', text: 'Delft' }])).toMatchObject({ index: 1, field: 'name', message: expect.stringContaining('is named "city" but the first parameter has no name') as unknown });
    expect(bodyParameterProblem([{ name: 'City', text: 'Delft' }])).toMatchObject({ index: 0, field: 'name' });
  });
});
