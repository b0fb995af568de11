/**
 * Types for values bound at run time (spec §1.6): a whole-value binding
 * `${data.x}` / `${form.x}` / `${screen.S.form.x}`, or a Flow JSON ≥ 6.0 nested
 * expression wrapped in backticks.
 * @module
 */

/**
 * A whole-value binding such as `"${data.name}"`. Template-literal typed so a
 * plain string literal is rejected where only a binding makes sense, while the
 * builder's `data('x')` helpers produce values of exactly this type.
 */
export type Binding = `\${${string}}`;

/** A nested expression (≥ 6.0, Meta "Flow JSON" page, Nested Expressions): the whole value in backticks. */
export type Expression = `\`${string}\``;

/** Any value written as a reference or expression rather than literally. */
export type DynamicString = Binding | Expression;

/**
 * A property that is either a literal `T` or bound at run time. For string
 * properties this is simply `string`, which already admits bindings.
 */
export type Dyn<T> = T | DynamicString;
