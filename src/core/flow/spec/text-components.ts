/**
 * Text components (Meta, "Components" → Text, RichText; spec §1.9 "Text").
 * Character limits: TextHeading/TextSubheading 80, TextBody 4096, TextCaption
 * 4096 (Meta's table prints "409"; spec treats 4096 as intended). Meta: "Empty
 * or Blank value is not accepted" for the text of all four.
 * @module
 */
import { component, visible, type ComponentSpec } from './common-props.js';
import { bool, prop, str } from './prop-spec.js';

const FONT_WEIGHTS = ['bold', 'italic', 'bold_italic', 'normal'] as const;

const heading = (type: string): ComponentSpec =>
  component(type, '2.1', { text: str({ required: true, dyn: true, maxChars: 80, nonBlank: '2.1' }), visible });

/** `text` of TextBody/TextCaption: a string, or (≥5.1) an array of paragraphs. */
const bodyText = (maxChars: number) =>
  prop(['string', 'array'], {
    required: true,
    dyn: true,
    maxChars,
    nonBlank: '2.1',
    kindSince: { array: '5.1' },
    items: str({ maxChars, nonBlank: '2.1' }),
  });

const body = (type: string): ComponentSpec =>
  component(type, '2.1', {
    text: bodyText(4096),
    'font-weight': str({ dyn: true, enum: FONT_WEIGHTS }),
    strikethrough: bool({ dyn: true }),
    markdown: bool({ since: '5.1' }),
    visible,
  });

/** TextHeading, TextSubheading, TextBody, TextCaption, RichText. */
export const TEXT_COMPONENTS: readonly ComponentSpec[] = [
  heading('TextHeading'),
  heading('TextSubheading'),
  body('TextBody'),
  body('TextCaption'),
  component('RichText', '5.1', {
    text: prop(['string', 'array'], { required: true, dyn: true, items: str() }),
    visible,
  }),
];
