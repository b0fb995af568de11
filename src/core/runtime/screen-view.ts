/**
 * The view model: a plain, JSON-able description of what the person sees.
 * It is the contract between the runtime and whatever draws it (the CLI, the
 * web preview): every dynamic value is already resolved, invisible
 * components are absent, and errors are the texts the client would show.
 * @module
 */
import type { PickerFileView } from './picker-view.js';
import type { RuntimeStatus } from './screen-state.js';

/** One choice of a selection list or NavigationList. */
export interface OptionView {
  id: string;
  title: string;
  description?: string;
  metadata?: string;
  enabled: boolean;
  /** Whether the person has it selected (always false in NavigationList). */
  selected: boolean;
}

/** One visible component. Only the fields meaningful for its `type` are set. */
export interface ComponentView {
  /** Meta's component type, e.g. `TextInput`, `TextBody`, `EmbeddedLink`. */
  type: string;
  /** Input (or NavigationList) name: the key of `${form.<name>}` and of `setValue`. */
  name?: string;
  /** Text components, RichText (string[] when written as paragraphs), EmbeddedLink. */
  text?: string | string[];
  /** Field label; CalendarPicker range mode shows `{start-date, end-date}` labels. */
  label?: string | Record<string, string>;
  title?: string;
  description?: string;
  helperText?: string | Record<string, string>;
  /** True when the person must fill it (CalendarPicker range: either end). */
  required?: boolean;
  /** False when the person cannot change it (inputs) or press it. */
  enabled: boolean;
  /** The current value, in the version's format (§1.13). */
  value?: unknown;
  /** The error under the field: the client's check, else the endpoint's error-message (a picker: its held files' messages). */
  error?: string;
  /** PhotoPicker / DocumentPicker: the files held, each with the endpoint's per-file message (`{ "<media_id>": "…" }`). */
  files?: PickerFileView[];
  options?: OptionView[];
  /** Resolved constraints: input-type, min-chars, max-chars, max-length, pattern, min-date, max-date,
   * unavailable-dates, include-days, mode, min-days, max-days, min/max-selected-items, picker counts. */
  constraints?: Record<string, unknown>;
  /** OptIn with an `on-click-action`: the "Read more" link can be pressed. */
  readMore?: boolean;
  /** Image: the length of the base64 source (the bytes themselves are left out to keep views small). */
  imageBytes?: number;
  /** Image `alt-text`. */
  altText?: string;
  /** ImageCarousel: each image's alt text and base64 length. */
  images?: Array<{ altText: string; imageBytes: number }>;
}

/** The Footer: the screen's main call to action. */
export interface FooterView {
  label: string;
  leftCaption?: string;
  centerCaption?: string;
  rightCaption?: string;
  enabled: boolean;
}

/** Everything on screen right now. */
export interface ScreenView {
  status: RuntimeStatus;
  /** Screen id; '' before the first screen is shown. */
  screen: string;
  title: string;
  terminal: boolean;
  components: ComponentView[];
  footer?: FooterView;
  /** A snackbar (endpoint `error_message`) or an error banner (endpoint failure, client error). */
  banner?: { kind: 'snackbar' | 'error'; text: string };
  /** False on the first screen (back closes the flow). */
  canGoBack: boolean;
  /** The nfm_reply `response_json` (parsed) once completed. */
  response?: Record<string, unknown>;
}
