/**
 * The screen part of the builder (spec §1.3–§1.5).
 * @module
 */
import { ComponentListBuilder } from './builder-components.js';
import { declareData } from './builder-data.js';
import type { Dyn } from './dynamic-value.js';
import type { JsonValue, Screen, ScreenData } from './screen.js';

/**
 * Builds one screen: its own properties plus the layout's components (all
 * component methods of {@link ComponentListBuilder}).
 * @example
 * new ScreenBuilder('DONE').title('Done').terminal().data({ name: 'Ann' }).body(data('name')).footer('Close', complete()).build()
 */
export class ScreenBuilder extends ComponentListBuilder {
  private readonly screen: Omit<Screen, 'layout'>;

  constructor(id: string) {
    super();
    this.screen = { id };
  }

  /** The id this screen was created with. */
  get id(): string {
    return this.screen.id;
  }

  /** Navigation-bar title (may be dynamic). */
  title(title: Dyn<string>): this {
    this.screen.title = title;
    return this;
  }

  /**
   * Mark the screen terminal (the flow may `complete` here). `success` is
   * written only when given (Meta's default is true; the key exists from 3.1).
   */
  terminal(success?: boolean): this {
    this.screen.terminal = true;
    if (success !== undefined) this.screen.success = success;
    return this;
  }

  /** Send `action: "BACK"` to the endpoint when the user leaves this screen backwards. */
  refreshOnBack(on = true): this {
    this.screen.refresh_on_back = on;
    return this;
  }

  /** Input names masked in the completion summary (≥ 5.1). */
  sensitive(...names: string[]): this {
    this.screen.sensitive = names;
    return this;
  }

  /**
   * Declare data fields by example; schema types are derived from the values
   * (see `schemaOf`). Adds to earlier declarations.
   * @example
   * s.data({ name: 'Ann', slots: [{ id: '1', title: '08:00' }] })
   */
  data(examples: Record<string, JsonValue>): this {
    return this.dataSchema(declareData(examples));
  }

  /** Declare data fields with explicit schemas (adds to earlier declarations). */
  dataSchema(declaration: ScreenData): this {
    this.screen.data = { ...this.screen.data, ...declaration };
    return this;
  }

  /** The screen as plain Flow JSON. */
  buildScreen(): Screen {
    return { ...this.screen, layout: { type: 'SingleColumnLayout', children: this.build() } };
  }
}
