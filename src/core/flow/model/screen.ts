/**
 * Screens, their layout and their data declarations (spec §1.3–§1.5; Meta
 * "Flow JSON" page, Screens and Declaring screen properties).
 * @module
 */
import type { Component } from './component.js';
import type { Dyn } from './dynamic-value.js';

/** JSON-schema type names allowed in a data declaration (`integer` is unconfirmed). */
export type DataSchemaType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array';

/** The JSON-schema fragment describing nested values (no `__example__` below the top level). */
export interface DataSchema {
  type: DataSchemaType;
  /** Arrays: the schema of each item (Meta also accepts `true`). */
  items?: DataSchema | boolean;
  /** Objects: the schema of each property. */
  properties?: Record<string, DataSchema>;
}

/** A JSON value, as `__example__` holds. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** One declared data field: a schema plus the mandatory example used by previews. */
export interface DataDeclaration extends DataSchema {
  __example__: JsonValue;
}

/** A screen's `data`: the fields readable as `${data.<key>}`. */
export type ScreenData = Record<string, DataDeclaration>;

/** The only layout Meta has. */
export interface SingleColumnLayout {
  type: 'SingleColumnLayout';
  children: Component[];
}

/** One screen of the flow. */
export interface Screen {
  /** Letters and underscores; unique; not `SUCCESS`. */
  id: string;
  title?: Dyn<string>;
  terminal?: boolean;
  /** @since 3.1 — terminal screens only; default true. */
  success?: boolean;
  /** Endpoint flows only. */
  refresh_on_back?: boolean;
  /** @since 5.1 — input names masked in the completion summary. */
  sensitive?: string[];
  data?: ScreenData;
  layout: SingleColumnLayout;
}
