/**
 * Components that move the user on: Footer, EmbeddedLink and NavigationList
 * (spec §1.9; Meta "Components" page).
 * @module
 */
import type { DataExchangeAction, FooterAction, LinkAction, NavigateAction } from './actions.js';
import type { DynamicString, Dyn } from './dynamic-value.js';
import type { MediaSize } from './selection-components.js';

/** The screen's main button. One per screen; label ≤ 35, captions ≤ 15. */
export interface Footer {
  type: 'Footer';
  label: string;
  'left-caption'?: string;
  'center-caption'?: string;
  'right-caption'?: string;
  enabled?: Dyn<boolean>;
  'on-click-action': FooterAction;
}

/** A text link (≤ 2 per screen). */
export interface EmbeddedLink {
  type: 'EmbeddedLink';
  text: string;
  'on-click-action': LinkAction;
  visible?: Dyn<boolean>;
}

/** Actions a NavigationList (or one of its items) may carry. */
export type NavigationListAction = NavigateAction | DataExchangeAction;

/** One row of a NavigationList. */
export interface NavigationListItem {
  id: string;
  'main-content': { title: string; description?: string; metadata?: string };
  start?: { image: string; 'alt-text'?: string };
  end?: { title?: string; description?: string; metadata?: string };
  /** ≤ 15 chars; at most one item per list may have a badge. */
  badge?: string;
  /** ≤ 3 tags of ≤ 15 chars. */
  tags?: string[];
  'on-click-action'?: NavigationListAction;
}

/**
 * A list of tappable rows (≥ 6.2). The action sits either on the component or
 * on every item, never both; nothing else may share its screen.
 */
export interface NavigationList {
  type: 'NavigationList';
  name: string;
  'list-items': NavigationListItem[] | DynamicString;
  label?: string;
  description?: string;
  'media-size'?: MediaSize;
  'on-click-action'?: NavigationListAction;
}

/** Every navigation component. */
export type NavigationComponent = Footer | EmbeddedLink | NavigationList;
