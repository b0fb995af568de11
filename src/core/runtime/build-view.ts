/**
 * Builds the {@link ScreenView} of the current screen from the client state.
 * @module
 */
import { isObject, objectProp, type JsonObject } from '../flow/json.js';
import { features } from './flow-document.js';
import { asText, emptyValueOf, INPUT_TYPES, MULTI_SELECT_TYPES, PICKER_TYPES, SELECTION_TYPES } from './components.js';
import { pickerErrorText, pickerFiles, type PickerFileView } from './picker-view.js';
import { currentState, scopeOf, type RuntimeCore } from './runtime-core.js';
import { resolveFlag, resolveText, resolveValue, type Scope } from './scope.js';
import type { ScreenState } from './screen-state.js';
import type { ComponentView, FooterView, OptionView, ScreenView } from './screen-view.js';
import { visibleComponents, type VisibleComponent } from './visible-components.js';

const constraintKeys = [
  'input-type', 'min-chars', 'max-chars', 'max-length', 'pattern', 'min-date', 'max-date', 'unavailable-dates',
  'include-days', 'mode', 'min-days', 'max-days', 'min-selected-items', 'max-selected-items',
  'min-uploaded-photos', 'max-uploaded-photos', 'min-uploaded-documents', 'max-uploaded-documents',
  'max-file-size-kb', 'allowed-mime-types', 'photo-source',
];

function textOf(value: unknown, scope: Scope): string | string[] {
  if (Array.isArray(value)) return value.map((v) => resolveText(v, scope));
  return resolveText(value, scope);
}

function textMap(value: unknown, scope: Scope): string | Record<string, string> | undefined {
  if (value === undefined) return undefined;
  const v = resolveValue(value, scope);
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolveText(x, scope)]));
  return resolveText(v, scope);
}

/** The options of a list, with selection state. */
export function optionsOf(node: JsonObject, scope: Scope, value: unknown): OptionView[] {
  const source = resolveValue(node.type === 'NavigationList' ? node['list-items'] : node['data-source'], scope);
  const chosen = Array.isArray(value) ? value.map(String) : value === undefined || value === '' ? [] : [asText(value)];
  return (Array.isArray(source) ? source : []).filter(isObject).map((item) => {
    const main = objectProp(item, 'main-content');
    const from = main ?? item;
    const id = asText(item.id);
    const o: OptionView = { id, title: resolveText(from.title, scope), enabled: item.enabled !== false, selected: chosen.includes(id) };
    if (from.description !== undefined) o.description = resolveText(from.description, scope);
    if (from.metadata !== undefined) o.metadata = resolveText(from.metadata, scope);
    return o;
  });
}

/** The endpoint-provided `error-message` of a field (resolved), unless dismissed by editing. */
function serverErrorOf(c: VisibleComponent, name: string, state: ScreenState, scope: Scope): unknown {
  if (state.dismissed.has(name)) return undefined;
  if (c.form) {
    const all = resolveValue(c.form['error-messages'], scope);
    return isObject(all) ? all[name] : undefined;
  }
  if (features(scope.doc.version).componentInit || c.type === 'DatePicker') return resolveValue(c.node['error-message'], scope);
  return undefined;
}

/**
 * The error under a field: the client's own check first, else the
 * endpoint-provided message. A picker's object-form message shows only the
 * messages of the files it holds (`files`).
 */
function errorOf(c: VisibleComponent, name: string, state: ScreenState, server: unknown, files: readonly PickerFileView[] | undefined): string | undefined {
  const own = state.clientErrors[name];
  if (own) return own;
  if (files !== undefined && isObject(server)) return pickerErrorText(files);
  if (isObject(server)) return Object.values(server).map(String).join(' ');
  return typeof server === 'string' && server !== '' ? server : undefined;
}

function componentView(c: VisibleComponent, state: ScreenState, scope: Scope): ComponentView {
  const n = c.node;
  const view: ComponentView = { type: c.type, enabled: resolveFlag(n.enabled, scope, true) };
  if (typeof n.name === 'string') view.name = n.name;
  if (n.text !== undefined) view.text = textOf(n.text, scope);
  const label = textMap(n.label, scope);
  if (label !== undefined) view.label = label;
  if (n.title !== undefined) view.title = resolveText(n.title, scope);
  if (n.description !== undefined) view.description = resolveText(n.description, scope);
  const helper = textMap(n['helper-text'], scope);
  if (helper !== undefined) view.helperText = helper;
  if (INPUT_TYPES.has(c.type) && view.name !== undefined) {
    const name = view.name;
    const required = resolveValue(n.required, scope);
    view.required = isObject(required) ? Object.values(required).some((r) => r === true) : required === true;
    view.value = state.values[name] ?? emptyValueOf(c.type);
    const server = serverErrorOf(c, name, state, scope);
    const files = PICKER_TYPES.has(c.type) ? pickerFiles(view.value, server) : undefined;
    if (files !== undefined && files.length > 0) view.files = files;
    const error = errorOf(c, name, state, server, files);
    if (error) view.error = error;
    const constraints: Record<string, unknown> = {};
    for (const k of constraintKeys) if (n[k] !== undefined) constraints[k] = resolveValue(n[k], scope);
    if (Object.keys(constraints).length > 0) view.constraints = constraints;
  }
  if (SELECTION_TYPES.has(c.type) || c.type === 'NavigationList') {
    view.options = optionsOf(n, scope, c.type === 'NavigationList' ? undefined : view.value);
    if (MULTI_SELECT_TYPES.has(c.type) && view.value === undefined) view.value = [];
  }
  if (c.type === 'OptIn') view.readMore = isObject(n['on-click-action']);
  if (c.type === 'Image') {
    view.imageBytes = resolveText(n.src, scope).length;
    if (n['alt-text'] !== undefined) view.altText = resolveText(n['alt-text'], scope);
  }
  if (c.type === 'ImageCarousel') {
    const images = resolveValue(n.images, scope);
    view.images = (Array.isArray(images) ? images.filter(isObject) : []).map((i) => ({ altText: resolveText(i['alt-text'], scope), imageBytes: resolveText(i.src, scope).length }));
  }
  return view;
}

function footerView(node: JsonObject, scope: Scope, core: RuntimeCore): FooterView {
  const f: FooterView = { label: resolveText(node.label, scope), enabled: resolveFlag(node.enabled, scope, true) && !core.ctaDisabled };
  if (node['left-caption'] !== undefined) f.leftCaption = resolveText(node['left-caption'], scope);
  if (node['center-caption'] !== undefined) f.centerCaption = resolveText(node['center-caption'], scope);
  if (node['right-caption'] !== undefined) f.rightCaption = resolveText(node['right-caption'], scope);
  return f;
}

/** What the person sees now. */
export function buildView(core: RuntimeCore): ScreenView {
  const base = { status: core.status, ...(core.banner ? { banner: { ...core.banner } } : {}), ...(core.response ? { response: { ...core.response } } : {}) };
  if (core.stack.length === 0) return { ...base, screen: '', title: '', terminal: false, components: [], canGoBack: false };
  const state = currentState(core);
  const screen = core.doc.screens.get(state.id);
  const scope = scopeOf(core, state);
  const node = screen?.node ?? {};
  const visible = screen ? visibleComponents(node, scope).components : [];
  const footer = visible.find((c) => c.type === 'Footer');
  const view: ScreenView = {
    ...base,
    screen: state.id,
    title: resolveText(node.title, scope),
    terminal: node.terminal === true,
    components: visible.filter((c) => c.type !== 'Footer').map((c) => componentView(c, state, scope)),
    canGoBack: core.stack.length > 1,
  };
  if (footer) view.footer = footerView(footer.node, scope, core);
  return view;
}
