/**
 * Selection components and their shared data-source items (spec §1.9
 * "Selection lists", Meta "Components" page).
 * @module
 */
import type { DataExchangeAction, SelectAction, UpdateDataAction } from './actions.js';
import type { DynamicString, Dyn } from './dynamic-value.js';

/** One option of a CheckboxGroup, RadioButtonsGroup, Dropdown or ChipsSelector. */
export interface DataSourceItem {
  id: string;
  /** ≤ 30 chars. */
  title: string;
  /** ≤ 300 chars. */
  description?: string;
  /** ≤ 20 chars. */
  metadata?: string;
  enabled?: boolean;
  /** @since 5.0 — base64 image. */
  image?: string;
  /** @since 5.0 */
  'alt-text'?: string;
  /** @since 5.0 — `#RRGGBB`. */
  color?: string;
  /** @since 6.0 */
  'on-select-action'?: SelectAction;
  /** @since 6.0 */
  'on-unselect-action'?: UpdateDataAction;
}

/** Static options, or a binding to an array in the screen data. */
export type DataSource = DataSourceItem[] | DynamicString;

/** Image size in option rows (≥ 5.0). */
export type MediaSize = 'regular' | 'large';

/** Several choices; produces the selected ids (string[]). 1–20 options. */
export interface CheckboxGroup {
  type: 'CheckboxGroup';
  name: string;
  'data-source': DataSource;
  /** ≤ 30 chars; required from 4.0. */
  label?: string;
  /** @since 4.0 */
  description?: string;
  'min-selected-items'?: Dyn<number>;
  'max-selected-items'?: Dyn<number>;
  required?: Dyn<boolean>;
  enabled?: Dyn<boolean>;
  visible?: Dyn<boolean>;
  /** @since 5.0 */
  'media-size'?: MediaSize;
  'on-select-action'?: SelectAction;
  /** @since 6.0 */
  'on-unselect-action'?: UpdateDataAction;
  'init-value'?: string[] | DynamicString;
  'error-message'?: string;
}

/** One choice; produces the selected id (string). 1–20 options. */
export interface RadioButtonsGroup {
  type: 'RadioButtonsGroup';
  name: string;
  'data-source': DataSource;
  /** ≤ 30 chars; required from 4.0. */
  label?: string;
  /** @since 4.0 */
  description?: string;
  required?: Dyn<boolean>;
  enabled?: Dyn<boolean>;
  visible?: Dyn<boolean>;
  /** @since 5.0 */
  'media-size'?: MediaSize;
  'on-select-action'?: SelectAction;
  /** @since 6.0 */
  'on-unselect-action'?: UpdateDataAction;
  'init-value'?: string;
  'error-message'?: string;
}

/** A drop-down choice; produces the selected id. 1–200 options (100 with images); label ≤ 20. */
export interface Dropdown {
  type: 'Dropdown';
  name: string;
  label: string;
  'data-source': DataSource;
  required?: Dyn<boolean>;
  enabled?: Dyn<boolean>;
  visible?: Dyn<boolean>;
  'on-select-action'?: SelectAction;
  /** @since 6.0 */
  'on-unselect-action'?: UpdateDataAction;
  'init-value'?: string;
  'error-message'?: string;
}

/** Chips (≥ 6.3); produces the selected ids (string[]). 2–20 options; label ≤ 80. */
export interface ChipsSelector {
  type: 'ChipsSelector';
  name: string;
  label: string;
  'data-source': DataSource;
  description?: string;
  'min-selected-items'?: Dyn<number>;
  'max-selected-items'?: Dyn<number>;
  required?: Dyn<boolean>;
  enabled?: Dyn<boolean>;
  visible?: Dyn<boolean>;
  'init-value'?: string[] | DynamicString;
  'error-message'?: string;
  /** `data_exchange`; `update_data` from 7.1. */
  'on-select-action'?: DataExchangeAction | UpdateDataAction;
  /** @since 7.1 */
  'on-unselect-action'?: UpdateDataAction;
}

/** Every selection component. */
export type SelectionComponent = CheckboxGroup | RadioButtonsGroup | Dropdown | ChipsSelector;
