/**
 * The component part of the builder: one method per component, shared by the
 * screen layout, Forms and If/Switch branches.
 * @module
 */
import type { FooterAction, LinkAction } from './actions.js';
import type { Component } from './component.js';
import type { Form } from './component.js';
import type { Binding } from './dynamic-value.js';
import type {
  CalendarPicker, DatePicker, OptIn, TextArea, TextInput,
} from './input-components.js';
import type { CarouselImage, DocumentPicker, Image, ImageCarousel, PhotoPicker } from './media-components.js';
import type { EmbeddedLink, Footer, NavigationList } from './navigation-components.js';
import type { CheckboxGroup, ChipsSelector, DataSourceItem, Dropdown, RadioButtonsGroup } from './selection-components.js';
import type { RichText, TextBody, TextCaption, TextHeading, TextSubheading } from './text-components.js';

/** A component's properties without the ones the builder method takes positionally. */
export type PropsOf<C, K extends keyof C = never> = Omit<C, 'type' | K>;

/** Builds the children of a container; the callback's return value is ignored. */
export type ChildrenFn = (b: ComponentListBuilder) => unknown;

/**
 * Options from an id → title record, in insertion order.
 * @example
 * options({ basic: 'Basic', pro: 'Pro' }) // [{ id: 'basic', title: 'Basic' }, { id: 'pro', title: 'Pro' }]
 */
export function options(titles: Record<string, string>): DataSourceItem[] {
  return Object.entries(titles).map(([id, title]) => ({ id, title }));
}

/**
 * Collects components in order. Every method returns `this` for chaining.
 * @example
 * new ComponentListBuilder().heading('Hi').textInput('name', { label: 'Name' }).build()
 */
export class ComponentListBuilder {
  protected readonly items: Component[] = [];

  /** Append ready-made components (any type, including ones without a helper). */
  add(...components: Component[]): this {
    this.items.push(...components);
    return this;
  }

  /** TextHeading: 80 chars, non-empty. */
  heading(text: string, props: PropsOf<TextHeading, 'text'> = {}): this {
    return this.add({ type: 'TextHeading', text, ...props });
  }

  /** TextSubheading: 80 chars. */
  subheading(text: string, props: PropsOf<TextSubheading, 'text'> = {}): this {
    return this.add({ type: 'TextSubheading', text, ...props });
  }

  /** TextBody: 4096 chars; a string[] only with `markdown` (≥ 5.1). */
  body(text: TextBody['text'], props: PropsOf<TextBody, 'text'> = {}): this {
    return this.add({ type: 'TextBody', text, ...props });
  }

  /** TextCaption: same rules as TextBody. */
  caption(text: TextCaption['text'], props: PropsOf<TextCaption, 'text'> = {}): this {
    return this.add({ type: 'TextCaption', text, ...props });
  }

  /** RichText (≥ 5.1): alone on its screen before 6.3, with a Footer from 6.3. */
  richText(text: RichText['text'], props: PropsOf<RichText, 'text'> = {}): this {
    return this.add({ type: 'RichText', text, ...props });
  }

  /** TextInput: label ≤ 20 chars; value readable as `${form.<name>}` (string). */
  textInput(name: string, props: PropsOf<TextInput, 'name'>): this {
    return this.add({ type: 'TextInput', name, ...props });
  }

  /** TextArea: label ≤ 20 chars; value is a string. */
  textArea(name: string, props: PropsOf<TextArea, 'name'>): this {
    return this.add({ type: 'TextArea', name, ...props });
  }

  /** CheckboxGroup: 1–20 options; value is the selected ids (string[]). */
  checkboxGroup(name: string, props: PropsOf<CheckboxGroup, 'name'>): this {
    return this.add({ type: 'CheckboxGroup', name, ...props });
  }

  /** RadioButtonsGroup: 1–20 options; value is the selected id. */
  radioButtons(name: string, props: PropsOf<RadioButtonsGroup, 'name'>): this {
    return this.add({ type: 'RadioButtonsGroup', name, ...props });
  }

  /** Dropdown: 1–200 options (100 with images); value is the selected id. */
  dropdown(name: string, props: PropsOf<Dropdown, 'name'>): this {
    return this.add({ type: 'Dropdown', name, ...props });
  }

  /** ChipsSelector (≥ 6.3): 2–20 options; value is the selected ids. */
  chips(name: string, props: PropsOf<ChipsSelector, 'name'>): this {
    return this.add({ type: 'ChipsSelector', name, ...props });
  }

  /** OptIn: label ≤ 120 chars, max 5 per screen; value is a boolean. */
  optIn(name: string, props: PropsOf<OptIn, 'name'>): this {
    return this.add({ type: 'OptIn', name, ...props });
  }

  /** DatePicker: dates are `YYYY-MM-DD` from 5.0, ms-timestamp strings before. */
  datePicker(name: string, props: PropsOf<DatePicker, 'name'>): this {
    return this.add({ type: 'DatePicker', name, ...props });
  }

  /** CalendarPicker (≥ 6.1): single date, or a range object in `mode: 'range'`. */
  calendarPicker(name: string, props: PropsOf<CalendarPicker, 'name'>): this {
    return this.add({ type: 'CalendarPicker', name, ...props });
  }

  /** PhotoPicker (≥ 4.0): one picker per screen; never in navigate payloads. */
  photoPicker(name: string, props: PropsOf<PhotoPicker, 'name'>): this {
    return this.add({ type: 'PhotoPicker', name, ...props });
  }

  /** DocumentPicker (≥ 4.0): one picker per screen; never in navigate payloads. */
  documentPicker(name: string, props: PropsOf<DocumentPicker, 'name'>): this {
    return this.add({ type: 'DocumentPicker', name, ...props });
  }

  /** Image: base64 JPEG/PNG, max 3 per screen. */
  image(src: string, props: PropsOf<Image, 'src'> = {}): this {
    return this.add({ type: 'Image', src, ...props });
  }

  /** ImageCarousel (≥ 7.1): 1–3 images; 2 per screen, 3 per flow. */
  imageCarousel(images: CarouselImage[], props: PropsOf<ImageCarousel, 'images'> = {}): this {
    return this.add({ type: 'ImageCarousel', images, ...props });
  }

  /** EmbeddedLink: text ≤ 25 chars, max 2 per screen. */
  embeddedLink(text: string, action: LinkAction, props: PropsOf<EmbeddedLink, 'text' | 'on-click-action'> = {}): this {
    return this.add({ type: 'EmbeddedLink', text, 'on-click-action': action, ...props });
  }

  /** NavigationList (≥ 6.2): alone on a non-terminal screen. */
  navigationList(name: string, props: PropsOf<NavigationList, 'name'>): this {
    return this.add({ type: 'NavigationList', name, ...props });
  }

  /** Footer: the screen's one main button; label ≤ 35 chars. */
  footer(label: string, action: FooterAction, props: PropsOf<Footer, 'label' | 'on-click-action'> = {}): this {
    return this.add({ type: 'Footer', label, ...props, 'on-click-action': action });
  }

  /**
   * A Form holding the components the callback adds.
   * @example
   * s.form('details', (f) => f.textInput('email', { label: 'Email' }).footer('Next', navigate('B')))
   */
  form(name: string, children: ChildrenFn, props: PropsOf<Form, 'name' | 'children'> = {}): this {
    return this.add({ type: 'Form', name, children: collect(children), ...props });
  }

  /**
   * An If (≥ 4.0): `then` components, optional `else` components.
   * @example
   * s.when('${form.agree}', (t) => t.body('Thanks'), (e) => e.body('Please agree'))
   */
  when(condition: string, then: ChildrenFn, otherwise?: ChildrenFn): this {
    return this.add(otherwise
      ? { type: 'If', condition, then: collect(then), else: collect(otherwise) }
      : { type: 'If', condition, then: collect(then) });
  }

  /**
   * A Switch (≥ 4.0) over a bound value, one branch per case key.
   * @example
   * s.switchOn(data('plan'), { basic: (b) => b.body('Basic'), pro: (b) => b.body('Pro') })
   */
  switchOn(value: Binding, cases: Record<string, ChildrenFn>): this {
    const built: Record<string, Component[]> = {};
    for (const [key, fn] of Object.entries(cases)) built[key] = collect(fn);
    return this.add({ type: 'Switch', value, cases: built });
  }

  /** The components added so far (a copy). */
  build(): Component[] {
    return [...this.items];
  }
}

function collect(fn: ChildrenFn): Component[] {
  const b = new ComponentListBuilder();
  fn(b);
  return b.build();
}
