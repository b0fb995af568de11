/**
 * The field map: how each answer of a compiled flow relates to the source
 * form. It links Flow input names to FormModel field ids and source keys,
 * option ids to source values, and carries what the server side needs:
 * hidden fields and defaults, the checks the client cannot make, and the
 * form's logic (to replay the path a respondent took).
 * @module
 */
import type { Condition } from '../form/condition.js';
import type { FieldType, FieldValidation } from '../form/field.js';
import type { Jump } from '../form/form-model.js';

/** The JSON type of a field's answer in the source system's neutral form. */
export type AnswerValueType = 'string' | 'number' | 'boolean' | 'string[]' | 'date' | 'time' | 'datetime' | 'media' | 'object';

/** A check only the server can make, with the rule to apply. */
export type ServerCheck =
  | 'required-when-visible'
  | 'required-when'
  | 'word-count'
  | 'email'
  | 'phone'
  | 'url'
  | 'pattern'
  | 'length'
  | 'number-range'
  | 'integer'
  | 'date-range'
  | 'selection-count'
  | 'file-types'
  | 'blocked-domains'
  | 'choice-in-options';

/** One option: the id in the flow, the FormModel option id and the value the source expects. */
export interface FieldMapOption {
  flowId: string;
  optionId: string;
  sourceValue: string;
  /** The title shown (fitted to Meta's 30 characters). */
  title: string;
}

/** One field of the form and where its answer lives in the flow. */
export interface FieldMapEntry {
  fieldId: string;
  sourceKey: string;
  type: FieldType;
  valueType: AnswerValueType;
  /** Input name in the flow (and key in `response_json`); absent for hidden fields. */
  flowName?: string;
  /** The screen holding the input. */
  screen?: string;
  pageId: string;
  required: boolean;
  options?: FieldMapOption[];
  /** Free text of the "other" option (single/multiple choice). */
  otherFlowName?: string;
  /** Time part of a datetime field. */
  timeFlowName?: string;
  /** Grid rows: one input per row. */
  rows?: { rowId: string; key: string; flowName: string; screen: string }[];
  /** The source's default: hidden fields get it from the server; visible ones start with it (init-value). */
  default?: string | number | boolean | string[];
  visibleWhen?: Condition;
  /** Conditional required (the source form's rule): required when this holds on the answers known. */
  requiredWhen?: Condition;
  validation?: FieldValidation;
  serverChecks: ServerCheck[];
  /** `complete`: in the completion payload; `endpoint`: sent with data_exchange (pickers); `server`: not in the flow. */
  delivery: 'complete' | 'endpoint' | 'server';
  /** Options served by the endpoint (search), when too many for a list. */
  searchable?: { queryName: string; searchScreen: string; pickScreen: string; dataKey: string; limit: number };
  /**
   * Pickers on a screen the endpoint serves: the screen data key their
   * `error-message` is bound to (`{ "<media_id>": "message" }`, spec §1.9).
   */
  pickerErrorsKey?: string;
}

/** The page graph, for replaying jumps. */
export interface FieldMapPage {
  id: string;
  fieldIds: string[];
  jumps: Jump[];
  /** Screens of this page, in order. */
  screens: string[];
}

/** How a screen moves on. `endpoint` screens send data_exchange and the server picks the next screen. */
export interface FieldMapScreen {
  id: string;
  pageId: string;
  routing: 'navigate' | 'if' | 'switch' | 'endpoint';
  /** Screens this one may lead to. */
  next: string[];
}

/** The whole map. */
export interface FieldMap {
  formId: string;
  flowVersion: string;
  fields: FieldMapEntry[];
  pages: FieldMapPage[];
  screens: FieldMapScreen[];
  /** The screen shown after the last page (answers recap). */
  summaryScreen: string;
  /** True when the flow talks to an endpoint (data_api_version is set). */
  endpoint: boolean;
}
