/**
 * Reference helpers for the builder (spec §1.6; Meta "Flow JSON" page, Dynamic
 * properties). Each returns the exact binding string, typed as a template
 * literal so typos in the reference kind are compile errors.
 * @module
 */
import type { Expression } from './dynamic-value.js';

/**
 * The current screen's data field `key`.
 * @example
 * s.body(data('greeting')) // { type: 'TextBody', text: '${data.greeting}' }
 */
export function data<K extends string>(key: K): `\${data.${K}}` {
  return `\${data.${key}}`;
}

/**
 * The value of input `name` on the current screen.
 * @example
 * navigate('NEXT', { email: form('email') })
 */
export function form<N extends string>(name: N): `\${form.${N}}` {
  return `\${form.${name}}`;
}

/**
 * A global reference (≥ 4.0) to input `name` on screen `screen`.
 * @example
 * complete({ name: screenForm('DETAILS', 'name') })
 */
export function screenForm<S extends string, N extends string>(screen: S, name: N): `\${screen.${S}.form.${N}}` {
  return `\${screen.${screen}.form.${name}}`;
}

/**
 * A global reference (≥ 4.0) to data field `key` of screen `screen`.
 * @example
 * s.body(screenData('WELCOME', 'first_name'))
 */
export function screenData<S extends string, K extends string>(screen: S, key: K): `\${screen.${S}.data.${K}}` {
  return `\${screen.${screen}.data.${key}}`;
}

/**
 * A nested expression (≥ 6.0): the source is wrapped in backticks.
 * @example
 * s.body(expr(`'Hello ' ${form('first_name')}`))
 */
export function expr(source: string): Expression {
  return `\`${source}\``;
}
