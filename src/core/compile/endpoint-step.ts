/**
 * The endpoint's part of a compiled flow (spec §2: data_exchange): for a
 * screen whose Footer sends `data_exchange`, which screen comes next and
 * with what data. Screens split from one page follow each other; at the end
 * of a page the form's jumps decide; a search screen gets the options that
 * match; a screen with a bound picker gets its empty per-file errors. Pure,
 * so the server handler and tests share it.
 * @module
 */
import type { FieldMap } from './field-map.js';
import { neutralAnswers } from './neutral-answers.js';
import { pickerEntryData } from './picker-errors.js';
import { nextPageIndex, replayPath } from './replay-path.js';

/** The endpoint's answer: the next screen and its data. */
export interface EndpointStep {
  screen: string;
  data: Record<string, unknown>;
}

/** Options of a searchable choice matching `query` (case-insensitive, in the title), at most `limit`; all options' first ones when nothing matches. */
export function searchOptions(fieldMap: FieldMap, fieldId: string, query: string, limit?: number): { id: string; title: string }[] {
  const e = fieldMap.fields.find((f) => f.fieldId === fieldId);
  const all = (e?.options ?? []).map((o) => ({ id: o.flowId, title: o.title }));
  const max = limit ?? e?.searchable?.limit ?? 200;
  const q = query.trim().toLowerCase();
  const hits = q === '' ? all : all.filter((o) => o.title.toLowerCase().includes(q));
  return (hits.length > 0 ? hits : all).slice(0, max);
}

/**
 * The next step after a `data_exchange` from `screen` with `payload` (every
 * answer so far, keyed by input name). `undefined` for a screen the flow does
 * not route through the endpoint.
 */
export function endpointStep(fieldMap: FieldMap, screen: string, payload: Readonly<Record<string, unknown>>): EndpointStep | undefined {
  const s = fieldMap.screens.find((x) => x.id === screen);
  if (s?.routing !== 'endpoint') return undefined;
  const search = fieldMap.fields.find((f) => f.searchable?.searchScreen === screen);
  if (search?.searchable) {
    const q = payload[search.searchable.queryName];
    return { screen: search.searchable.pickScreen, data: { [search.searchable.dataKey]: searchOptions(fieldMap, search.fieldId, typeof q === 'string' ? q : '') } };
  }
  const pageIndex = fieldMap.pages.findIndex((p) => p.id === s.pageId);
  const page = fieldMap.pages[pageIndex];
  const at = page?.screens.indexOf(screen) ?? -1;
  const following = page?.screens[at + 1];
  if (following !== undefined) return { screen: following, data: pickerEntryData(fieldMap, following) };
  // Only answers of the pages on the path so far count (a person may have gone back and changed branch).
  const path = replayPath(fieldMap, neutralAnswers(fieldMap, payload), s.pageId);
  let next = nextPageIndex(fieldMap, pageIndex, path.known);
  // Pages left out of the flow (no screens) are passed over.
  while (next !== undefined && (fieldMap.pages[next]?.screens.length ?? 0) === 0) next = next + 1 < fieldMap.pages.length ? next + 1 : undefined;
  const target = next === undefined ? fieldMap.summaryScreen : (fieldMap.pages[next]?.screens[0] ?? fieldMap.summaryScreen);
  return { screen: target, data: pickerEntryData(fieldMap, target) };
}
