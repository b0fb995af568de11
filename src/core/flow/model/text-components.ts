/**
 * Text components (spec §1.9 "Text", Meta "Components" page, Text).
 * @module
 */
import type { Dyn } from './dynamic-value.js';

/** Text styling of TextBody/TextCaption. */
export type FontWeight = 'bold' | 'italic' | 'bold_italic' | 'normal';

/** A top-level heading (80 chars, non-empty). */
export interface TextHeading {
  type: 'TextHeading';
  text: string;
  visible?: Dyn<boolean>;
}

/** A sub-heading (80 chars). */
export interface TextSubheading {
  type: 'TextSubheading';
  text: string;
  visible?: Dyn<boolean>;
}

/** Shared shape of TextBody and TextCaption (4096 chars; string[] only with markdown, ≥ 5.1). */
interface BodyLike {
  text: string | string[];
  'font-weight'?: Dyn<FontWeight>;
  strikethrough?: Dyn<boolean>;
  /** @since 5.1 */
  markdown?: boolean;
  visible?: Dyn<boolean>;
}

/** Body text. */
export interface TextBody extends BodyLike {
  type: 'TextBody';
}

/** Small caption text. */
export interface TextCaption extends BodyLike {
  type: 'TextCaption';
}

/**
 * Markdown text (≥ 5.1). Until 6.2 it must be alone on its screen; from 6.3 a
 * Footer may accompany it.
 */
export interface RichText {
  type: 'RichText';
  text: string | string[];
  visible?: Dyn<boolean>;
}

/** Every text component. */
export type TextComponent = TextHeading | TextSubheading | TextBody | TextCaption | RichText;
