/**
 * Per-file errors of PhotoPicker / DocumentPicker on screens the endpoint
 * serves (spec §1.9: `error-message` may be an object `{ "<media_id>": "msg" }`
 * supplied through dynamic data; §3.1: `media_id` keys individual files).
 *
 * A picker on a `data_exchange` screen gets `"error-message": "${data.<name>_errors}"`
 * and the screen declares that key as an object (an empty object on every
 * normal entry: INIT, navigation, the endpoint's next step). When an upload
 * is refused the endpoint re-displays the screen with the key set to the
 * messages of the refused files, keyed by their media ids.
 * @module
 */
import { PICKER_TYPES, type Component } from '../flow/model/component.js';
import type { DataDeclaration } from '../flow/model/screen.js';
import type { FieldMap, FieldMapEntry } from './field-map.js';

export { PICKER_TYPES };

/** The screen data key holding a picker's per-file messages. */
export function pickerErrorsKey(flowName: string): string {
  return `${flowName}_errors`;
}

/**
 * The data declaration of a per-file error key: an object whose keys are
 * media ids and whose values are messages (Meta's `error-message` object form).
 * No `properties`: the keys are not known in advance.
 */
export function pickerErrorsDeclaration(): DataDeclaration {
  return { type: 'object', __example__: { example_media_id: 'This file is 31 MB; the limit is 25 MB. Choose a smaller file.' } };
}

/** The picker components of `components` bound to `${data.<key>}` (other components unchanged). */
export function bindPickerErrors(components: readonly Component[], key: string): Component[] {
  return components.map((c) => (PICKER_TYPES.has(c.type) ? ({ ...c, 'error-message': `\${data.${key}}` } as Component) : c));
}

/** Per field map: screen → its picker entries bound to screen data (computed once; a field map is not changed after compiling). */
const boundByScreen = new WeakMap<Pick<FieldMap, 'fields'>, ReadonlyMap<string, readonly FieldMapEntry[]>>();

function boundIndex(fieldMap: Pick<FieldMap, 'fields'>): ReadonlyMap<string, readonly FieldMapEntry[]> {
  let index = boundByScreen.get(fieldMap);
  if (index === undefined) {
    const byScreen = new Map<string, FieldMapEntry[]>();
    for (const e of fieldMap.fields) {
      if (e.screen === undefined || e.pickerErrorsKey === undefined) continue;
      const list = byScreen.get(e.screen);
      if (list === undefined) byScreen.set(e.screen, [e]);
      else list.push(e);
    }
    index = byScreen;
    boundByScreen.set(fieldMap, index);
  }
  return index;
}

/** The picker entries of `screen` whose per-file errors are bound to screen data. */
export function boundPickers(fieldMap: Pick<FieldMap, 'fields'>, screen: string): readonly FieldMapEntry[] {
  return boundIndex(fieldMap).get(screen) ?? [];
}

/**
 * The data a screen needs on a normal entry: an empty object per bound
 * picker (no file has an error yet). `{}` for screens without one.
 * @example
 * next(screen, { ...pickerEntryData(fieldMap, screen), ...other })
 */
export function pickerEntryData(fieldMap: Pick<FieldMap, 'fields'>, screen: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const e of boundPickers(fieldMap, screen)) if (e.pickerErrorsKey !== undefined) out[e.pickerErrorsKey] = {};
  return out;
}
