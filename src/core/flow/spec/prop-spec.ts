/**
 * The vocabulary of the component catalogue: what a property accepts (JSON
 * types, dynamic values, enums, limits, minimum Flow JSON version) and the
 * builders the catalogue files use. Everything here is built once at module
 * load; the validator only reads it.
 * @module
 */
import { version as parseVersionLiteral, type Version } from '../version.js';

/** JSON types as Meta's messages name them (`integer` is a whole `number`). */
export type JsonKind = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array';

/** Action names an action-carrying property accepts, each from a minimum version. */
export interface ActionRule {
  readonly names: ReadonlyMap<string, Version>;
}

/** How a property holds child components (containers: Form, If, Switch). */
export type ChildrenKind = 'list' | 'map';

/** What one property (or one array item, or one key of a nested object) accepts. */
export interface PropSpec {
  readonly kinds: readonly JsonKind[];
  /** Some kinds only from a version (e.g. TextBody `text` as an array from 5.1). */
  readonly kindSince: ReadonlyMap<JsonKind, Version> | undefined;
  /** Accepts a `${…}` binding ("Dynamic" in Meta's component tables). */
  readonly dyn: boolean;
  /** Accepts a ≥6.0 backtick expression (every property but `type` and `name`). */
  readonly expr: boolean;
  readonly since: Version | undefined;
  readonly requiredSince: Version | undefined;
  readonly enumValues: ReadonlySet<string> | undefined;
  readonly enumList: readonly string[] | undefined;
  readonly maxChars: number | undefined;
  /** Blank or empty strings rejected from this version (Meta: 6.0 for all strings). */
  readonly nonBlankSince: Version | undefined;
  readonly minItems: number | undefined;
  readonly maxItems: number | undefined;
  readonly min: number | undefined;
  readonly max: number | undefined;
  readonly items: PropSpec | undefined;
  readonly shape: ObjectShape | undefined;
  readonly action: ActionRule | undefined;
  readonly children: ChildrenKind | undefined;
}

/** The known keys of an object (a component, a data-source item, `next`…). */
export interface ObjectShape {
  /** Used in messages ("… at TextInput"). */
  readonly name: string;
  readonly props: ReadonlyMap<string, PropSpec>;
  /** Keys with a `requiredSince`, precomputed. */
  readonly required: readonly string[];
}

/** Options of {@link prop}; versions are `"major.minor"` literals. */
export interface PropOptions {
  since?: string;
  /** `true` = always required; a version = required from that version. */
  required?: boolean | string;
  dyn?: boolean;
  expr?: boolean;
  kindSince?: Partial<Record<JsonKind, string>>;
  enum?: readonly string[];
  maxChars?: number;
  nonBlank?: string | false;
  minItems?: number;
  maxItems?: number;
  min?: number;
  max?: number;
  items?: PropSpec;
  shape?: ObjectShape;
  action?: ActionRule;
  children?: ChildrenKind;
}

/** The first version: "always". */
export const V_FIRST: Version = parseVersionLiteral('2.1');
/** From 6.0 blank strings are rejected and backtick expressions accepted (Meta changelog). */
export const V_BLANK_AND_EXPR: Version = parseVersionLiteral('6.0');

const versionCache = new Map<string, Version>();
/** Parse a version literal once (the catalogue repeats the same few). */
export function v(text: string): Version {
  let parsed = versionCache.get(text);
  if (!parsed) {
    parsed = parseVersionLiteral(text);
    versionCache.set(text, parsed);
  }
  return parsed;
}

/** Build a property spec. Strings default to non-blank from 6.0 and to expressions allowed. */
export function prop(kinds: JsonKind | readonly JsonKind[], o: PropOptions = {}): PropSpec {
  const list: readonly JsonKind[] = typeof kinds === 'string' ? [kinds] : kinds;
  const hasString = list.includes('string');
  let kindSince: Map<JsonKind, Version> | undefined;
  for (const [kind, since] of Object.entries(o.kindSince ?? {})) {
    kindSince ??= new Map();
    kindSince.set(kind as JsonKind, v(since));
  }
  let nonBlankSince: Version | undefined;
  if (o.nonBlank !== false && (hasString || o.nonBlank !== undefined)) nonBlankSince = v(o.nonBlank ?? '6.0');
  return {
    kinds: list,
    kindSince,
    dyn: o.dyn ?? false,
    expr: o.expr ?? (o.action === undefined && o.children === undefined),
    since: o.since === undefined ? undefined : v(o.since),
    requiredSince: o.required === undefined || o.required === false ? undefined : o.required === true ? V_FIRST : v(o.required),
    enumValues: o.enum ? new Set(o.enum) : undefined,
    enumList: o.enum,
    maxChars: o.maxChars,
    nonBlankSince,
    minItems: o.minItems,
    maxItems: o.maxItems,
    min: o.min,
    max: o.max,
    items: o.items,
    shape: o.shape,
    action: o.action,
    children: o.children,
  };
}

/** A string property. */
export const str = (o: PropOptions = {}): PropSpec => prop('string', o);
/** A boolean property. */
export const bool = (o: PropOptions = {}): PropSpec => prop('boolean', o);
/** An integer property. */
export const int = (o: PropOptions = {}): PropSpec => prop('integer', o);
/** A number property (integers accepted). */
export const num = (o: PropOptions = {}): PropSpec => prop('number', o);
/** An array property; `items` describes each element. */
export const arr = (items: PropSpec | undefined, o: PropOptions = {}): PropSpec => prop('array', { ...o, items });
/** An object property; `shape` (when given) describes its keys. */
export const obj = (shape: ObjectShape | undefined, o: PropOptions = {}): PropSpec => prop('object', { ...o, shape });
/** An action property (`on-click-action`…): action name → minimum version. */
export const action = (names: Record<string, string>, o: PropOptions = {}): PropSpec =>
  prop('object', { ...o, action: { names: new Map(Object.entries(names).map(([n, s]) => [n, v(s)])) } });

/** Build an object shape from a record of property specs. */
export function shape(name: string, props: Record<string, PropSpec>): ObjectShape {
  const map = new Map(Object.entries(props));
  const required = [...map].filter(([, p]) => p.requiredSince !== undefined).map(([k]) => k);
  return { name, props: map, required };
}
