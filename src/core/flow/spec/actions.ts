/**
 * Action objects (`{ "name": …, … }`) and which action each action-carrying
 * property allows, from which Flow JSON version (Meta, "Flow JSON" → Actions,
 * and the per-component tables of "Components"; spec §1.8).
 * @module
 */
import { action, obj, shape, str, type ObjectShape, type PropSpec } from './prop-spec.js';

/** `next` of a navigate action: `{ "type": "screen", "name": "SCREEN_ID" }`. */
const nextShape = shape('next', {
  type: str({ required: true, enum: ['screen'] }),
  name: str({ required: true, expr: false }),
});

/** Free-form payload: keys and values are checked by the semantic rules. */
const payload = (required: boolean): PropSpec => obj(undefined, { required, expr: false });

/** The keys each action kind accepts besides `name`. */
export const ACTION_SHAPES: ReadonlyMap<string, ObjectShape> = new Map([
  ['navigate', shape('navigate', { next: obj(nextShape, { required: true, expr: false }), payload: payload(false) })],
  ['data_exchange', shape('data_exchange', { payload: payload(false) })],
  ['complete', shape('complete', { payload: payload(false) })],
  ['update_data', shape('update_data', { payload: payload(true) })],
  ['open_url', shape('open_url', { url: str({ required: true }) })],
]);

/** Every key some action kind accepts: a key of another kind is a "NOT" violation, others are unknown. */
export const ANY_ACTION_KEYS: ReadonlySet<string> = new Set(
  [...ACTION_SHAPES.values()].flatMap((s) => [...s.props.keys()]),
);

/** Footer `on-click-action`: the only place `complete` is allowed. */
export const footerClick = (): PropSpec => action({ navigate: '2.1', data_exchange: '2.1', complete: '2.1' }, { required: true });

/** EmbeddedLink / OptIn `on-click-action` ("Read more"): `open_url` from 6.0. */
export const linkClick = (required: boolean): PropSpec =>
  action({ navigate: '2.1', data_exchange: '2.1', open_url: '6.0' }, { required });

/** NavigationList `on-click-action`, on the component or on each item. */
export const navigationClick = (): PropSpec => action({ navigate: '6.2', data_exchange: '6.2' });

/** Selection lists' `on-select-action`: `data_exchange`, `update_data` from `updateSince`. */
export const listSelect = (updateSince = '6.0', since?: string): PropSpec =>
  action({ data_exchange: '2.1', update_data: updateSince }, since === undefined ? {} : { since });

/** DatePicker / CalendarPicker `on-select-action`: `data_exchange` only. */
export const dateSelect = (): PropSpec => action({ data_exchange: '2.1' });

/** `on-unselect-action` (and OptIn/item select actions): `update_data` only. */
export const updateOnly = (since: string): PropSpec => action({ update_data: since }, { since });
