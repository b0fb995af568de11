/**
 * Free-entry and date input components (spec §1.9 "Text entry", OptIn,
 * DatePicker, CalendarPicker; Meta "Components" page).
 * @module
 */
import type { LinkAction, DataExchangeAction, UpdateDataAction } from './actions.js';
import type { Dyn } from './dynamic-value.js';

/** Keyboard / validation kind of a TextInput. */
export type TextInputType = 'text' | 'number' | 'email' | 'password' | 'passcode' | 'phone';

/** Single-line text entry; produces a string. Label ≤ 20 chars. */
export interface TextInput {
  type: 'TextInput';
  name: string;
  label: string;
  /** @since 7.0 */
  'label-variant'?: 'large';
  'input-type'?: Dyn<TextInputType>;
  /** @since 6.2 — raw regex without slashes; makes `helper-text` mandatory. */
  pattern?: string;
  required?: Dyn<boolean>;
  'min-chars'?: Dyn<number>;
  'max-chars'?: Dyn<number>;
  'helper-text'?: string;
  enabled?: Dyn<boolean>;
  visible?: Dyn<boolean>;
  /** @since 4.0, outside a Form only. */
  'init-value'?: string;
  /** @since 4.0, outside a Form only. */
  'error-message'?: string;
}

/** Multi-line text entry; produces a string. Label ≤ 20 chars. */
export interface TextArea {
  type: 'TextArea';
  name: string;
  label: string;
  /** @since 7.0 */
  'label-variant'?: 'large';
  required?: Dyn<boolean>;
  'max-length'?: Dyn<number>;
  'helper-text'?: string;
  enabled?: Dyn<boolean>;
  visible?: Dyn<boolean>;
  'init-value'?: string;
  'error-message'?: string;
}

/** A consent checkbox; produces a boolean. Max 5 per screen. */
export interface OptIn {
  type: 'OptIn';
  name: string;
  label: string;
  required?: Dyn<boolean>;
  visible?: Dyn<boolean>;
  'init-value'?: Dyn<boolean>;
  /** "Read more" link. `open_url` from 6.0. */
  'on-click-action'?: LinkAction;
  /** @since 6.0 */
  'on-select-action'?: UpdateDataAction;
  /** @since 6.0 */
  'on-unselect-action'?: UpdateDataAction;
}

/** A single date; produces `"YYYY-MM-DD"` (≥ 5.0) or a ms-timestamp string (< 5.0). */
export interface DatePicker {
  type: 'DatePicker';
  name: string;
  label: string;
  'min-date'?: string;
  'max-date'?: string;
  'unavailable-dates'?: string[] | string;
  'helper-text'?: string;
  enabled?: Dyn<boolean>;
  required?: Dyn<boolean>;
  visible?: Dyn<boolean>;
  'init-value'?: string;
  'error-message'?: string;
  'on-select-action'?: DataExchangeAction;
}

/** The two ends of a CalendarPicker range; also the range-mode shape of label, helper-text, etc. */
export interface DateRange<T> {
  'start-date': T;
  'end-date': T;
}

/** Weekday names for `include-days`. */
export type Weekday = 'Mon' | 'Tue' | 'Wed' | 'Thu' | 'Fri' | 'Sat' | 'Sun';

/** A calendar (≥ 6.1); single mode produces a date string, range mode a `{start-date,end-date}` object. */
export interface CalendarPicker {
  type: 'CalendarPicker';
  name: string;
  mode?: 'single' | 'range';
  label: string | DateRange<string>;
  /** Range mode only. */
  title?: string;
  /** Range mode only. */
  description?: string;
  'helper-text'?: string | DateRange<string>;
  required?: Dyn<boolean> | DateRange<boolean>;
  'error-message'?: string | DateRange<string>;
  'min-date'?: string;
  'max-date'?: string;
  'unavailable-dates'?: string[] | string;
  'include-days'?: Weekday[] | string;
  /** Range mode only. */
  'min-days'?: Dyn<number>;
  /** Range mode only. */
  'max-days'?: Dyn<number>;
  enabled?: Dyn<boolean>;
  visible?: Dyn<boolean>;
  'init-value'?: string | DateRange<string>;
  'on-select-action'?: DataExchangeAction;
}

/** Every free-entry/date input component. */
export type EntryComponent = TextInput | TextArea | OptIn | DatePicker | CalendarPicker;
