/**
 * Footer, links, images and containers (Meta, "Components" → Footer,
 * EmbeddedLink, Image, Image Carousel, If, Switch; "Flow JSON" → Form; spec §1.9).
 * @module
 */
import { footerClick, linkClick } from './actions.js';
import { component, enabled, visible, type ComponentSpec } from './common-props.js';
import { arr, int, num, obj, prop, shape, str } from './prop-spec.js';

/** Footer caption keys: left+right together, or center alone. */
export const FOOTER_CAPTIONS = ['left-caption', 'center-caption', 'right-caption'] as const;

const caption = str({ dyn: true, maxChars: 15 });
const scaleType = str({ enum: ['cover', 'contain'] });
const components = (required: boolean, minItems?: number) =>
  arr(undefined, { required, minItems, children: 'list' });

/** Footer, EmbeddedLink, Image, ImageCarousel, If, Switch, Form. */
export const LAYOUT_COMPONENTS: readonly ComponentSpec[] = [
  component('Footer', '2.1', {
    label: str({ required: true, dyn: true, maxChars: 35 }),
    'on-click-action': footerClick(),
    'left-caption': caption,
    'center-caption': caption,
    'right-caption': caption,
    enabled,
  }),
  component('EmbeddedLink', '2.1', {
    // Meta's components page: 25 characters (pywa says 35; spec: unconfirmed).
    text: str({ required: true, dyn: true, maxChars: 25, nonBlank: '2.1' }),
    'on-click-action': linkClick(true),
    visible,
  }),
  component('Image', '2.1', {
    src: str({ required: true, dyn: true }),
    width: int({ dyn: true }),
    height: int({ dyn: true }),
    'scale-type': scaleType,
    'aspect-ratio': num({ dyn: true }),
    'alt-text': str({ dyn: true }),
    visible,
  }),
  component('ImageCarousel', '7.1', {
    images: arr(obj(shape('image', { src: str({ required: true }), 'alt-text': str({ required: true }) })), {
      required: true,
      dyn: true,
      minItems: 1,
      maxItems: 3,
    }),
    'aspect-ratio': str({ enum: ['4:3', '16:9'] }),
    'scale-type': scaleType,
    visible,
  }),
  component('If', '4.0', {
    // The condition's syntax and types are checked by the expression rules.
    condition: str({ required: true, expr: false }),
    // An empty `then` is reported as "Expected array to contain at least one component".
    then: components(true),
    else: components(false),
  }),
  component('Switch', '4.0', {
    value: str({ required: true, dyn: true }),
    cases: prop('object', { required: true, children: 'map' }),
  }),
  component('Form', '2.1', {
    name: str({ required: true, expr: false, nonBlank: '4.0' }),
    children: components(true, 1),
    'init-values': obj(undefined, { dyn: true }),
    'error-messages': obj(undefined, { dyn: true }),
  }),
];
