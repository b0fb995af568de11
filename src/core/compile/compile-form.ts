/**
 * The FormModel → Flow JSON compiler: a valid flow (default version 7.3), a
 * field map linking every flow answer to the source form, and a report of
 * every loss, approximation and truncation.
 * @module
 */
import type { ActionPayload } from '../flow/model/actions.js';
import { flow as newFlow } from '../flow/model/builder.js';
import type { FlowJson } from '../flow/model/flow.js';
import { isKnownFlowJsonVersion, LATEST_FLOW_JSON_VERSION, parseVersion, type FlowJsonVersion } from '../flow/version.js';
import type { FormModel } from '../form/form-model.js';
import { nameAllocator, screenIdAllocator, type CompileContext } from './compile-context.js';
import { CompileReport, type ReportEntry } from './compile-report.js';
import type { FieldMap, FieldMapEntry, FieldMapScreen } from './field-map.js';
import type { CompileOverrides } from './overrides.js';
import { planScreens } from './plan-screens.js';
import { chooseRoute, reachable, screenTargets, type OperandLookup, type ScreenRoute } from './route-screens.js';
import { routeFooter, screenBody } from './screen-components.js';
import { requiredWhenMode } from './conditional-rules.js';
import { closingTexts, completePayload, recapComponents } from './summary-screens.js';
import { bindPickerErrors, PICKER_TYPES, pickerEntryData, pickerErrorsDeclaration, pickerErrorsKey } from './picker-errors.js';

/** Options of {@link compileForm}. */
export interface CompileOptions {
  /** Flow JSON version to emit; 4.0 at least (global references). Default 7.3. */
  targetVersion?: string;
  overrides?: CompileOverrides;
  /**
   * The compile day (`YYYY-MM-DD`, e.g. `new Date().toISOString().slice(0, 10)`):
   * relative date bounds ("today", "+30 days") are put on the date picker as
   * fixed dates as of this day (reported). Without it the picker has no such
   * bound and only the server checks it, against the day of answering.
   */
  today?: string;
}

/** What {@link compileForm} produces. */
export interface CompileResult {
  flow: FlowJson;
  fieldMap: FieldMap;
  report: ReportEntry[];
}

function targetVersion(requested: string | undefined, report: CompileReport): FlowJsonVersion {
  const text = requested ?? LATEST_FLOW_JSON_VERSION;
  const v = parseVersion(text);
  if (!isKnownFlowJsonVersion(text) || !v) {
    report.add('warning', 'version', '', `Unknown Flow JSON version '${text}': compiled for ${LATEST_FLOW_JSON_VERSION}.`);
    return LATEST_FLOW_JSON_VERSION;
  }
  if (v.major < 4) {
    report.add('warning', 'version', '', `Flow JSON ${text} has no global references, If or media pickers: compiled for 4.0 instead.`);
    return '4.0';
  }
  return text;
}

/**
 * Compile a form.
 * @example
 * const { flow, fieldMap, report } = compileForm(model, { targetVersion: '7.3' });
 */
export function compileForm(model: FormModel, options: CompileOptions = {}): CompileResult {
  const report = new CompileReport();
  const version = targetVersion(options.targetVersion, report);
  const ctx: CompileContext = {
    version: parseVersion(version) ?? { major: 7, minor: 3 }, report, overrides: options.overrides ?? {}, name: nameAllocator(),
    ...(options.today !== undefined && /^\d{4}-\d{2}-\d{2}$/u.test(options.today) ? { today: options.today } : {}),
  };
  const allocateId = screenIdAllocator();
  const planned = planScreens(model, ctx, allocateId);
  const summaryId = allocateId('REVIEW');
  const doneId = allocateId('DONE');
  const targets = screenTargets(model, planned, summaryId, ctx);
  const live = reachable(planned, targets);
  const screens = planned.filter((s) => live.has(s.id));
  for (const s of planned.filter((p) => !live.has(p.id))) {
    for (const cf of s.fields) {
      if (cf.entry.flowName !== undefined) ctx.report.add('info', 'dropped', cf.field.id, `No path of the source form's logic reaches page '${s.pageId}': the question is left out.`);
      cf.entry.delivery = 'server';
    }
  }
  const entries: FieldMapEntry[] = [];
  const seen = new Set<string>();
  for (const s of planned) {
    for (const cf of s.fields) {
      if (s.kind !== 'search' && live.has(s.id)) {
        cf.entry.screen = s.id;
        cf.entry.rows?.forEach((r) => (r.screen = s.id));
      }
      if (s.kind === 'search') {
        cf.entry.searchable = { queryName: ctx.name(`${cf.entry.flowName ?? cf.field.id}_search`), searchScreen: s.id, pickScreen: '', dataKey: `${cf.entry.flowName ?? ''}_options`, limit: cf.search?.limit ?? 200 };
      } else if (s.kind === 'pick' && cf.entry.searchable) cf.entry.searchable.pickScreen = s.id;
      if (!seen.has(cf.field.id)) entries.push(cf.entry);
      seen.add(cf.field.id);
    }
  }
  const pickerEntries = entries.filter((e) => e.valueType === 'media' && e.screen);
  const viaEndpoint = pickerEntries.length > 1 || pickerEntries.some((e) => (e.type === 'file' && (model.pages.flatMap((p) => p.fields).find((f) => f.id === e.fieldId)?.file?.maxFiles ?? 1) > 1));
  if (viaEndpoint) {
    for (const e of pickerEntries) {
      e.delivery = 'endpoint';
      ctx.report.add('warning', 'endpoint-required', e.fieldId, 'The completion message carries at most one file question with one file: files are sent to the endpoint when the person leaves the screen.');
    }
  }
  const order = new Map(screens.map((s, i) => [s.id, i]));
  const byField = new Map(entries.map((e) => [e.fieldId, e]));
  const operandsByField = new Map(planned.flatMap((s) => s.fields.map((cf) => [cf.field.id, cf] as const)));
  const lookup = (here: string): OperandLookup => (fieldId) => {
    const e = byField.get(fieldId);
    const cf = operandsByField.get(fieldId);
    if (!e?.screen || e.flowName === undefined || !cf?.operand) return undefined;
    const where = order.get(e.screen);
    const at = order.get(here);
    if (where === undefined || at === undefined || where > at) return undefined;
    const ref = where === at ? `\${form.${e.flowName}}` : `\${screen.${e.screen}.form.${e.flowName}}`;
    return { ...cf.operand, ref, required: e.required, visibleWhen: e.visibleWhen !== undefined, here: where === at };
  };
  const pageOfField = new Map(model.pages.flatMap((p, i) => p.fields.map((f) => [f.id, i] as const)));
  const texts = closingTexts(ctx, model.endMessage);
  const builder = newFlow(version);
  const mapScreens: FieldMapScreen[] = [];
  let endpoint = false;
  const routed = screens.map((s) => {
    const t = targets.get(s.id) ?? { rules: [], fallback: summaryId, targets: [summaryId] };
    const operandOf = lookup(s.id);
    const requiredModes = new Map(s.fields.flatMap((cf) => {
      const mode = s.kind === 'fields' ? requiredWhenMode(cf, operandOf, ctx, (id) => pageOfField.get(id), s.pageIndex) : undefined;
      return mode ? [[cf.field.id, mode] as const] : [];
    }));
    const force = s.kind === 'search' || s.fields.some((cf) => cf.entry.delivery === 'endpoint' && cf.entry.screen === s.id) || [...requiredModes.values()].some((m) => m.kind === 'endpoint');
    const route: ScreenRoute = chooseRoute(t, operandOf, force);
    // A picker on a screen the endpoint serves: its per-file errors come through screen data.
    if (route.kind === 'endpoint') {
      for (const cf of s.fields) {
        if (cf.entry.valueType === 'media' && cf.entry.flowName !== undefined && cf.components.some((c) => PICKER_TYPES.has(c.type))) cf.entry.pickerErrorsKey = pickerErrorsKey(cf.entry.flowName);
      }
    }
    return { s, t, operandOf, requiredModes, route };
  });
  const entryData = (screen: string): ActionPayload => pickerEntryData({ fields: entries }, screen);
  for (const { s, t, operandOf, requiredModes, route } of routed) {
    if (route.kind === 'switch') requireSwitchField(s.fields, route.field, ctx);
    if (route.kind === 'endpoint') {
      endpoint = true;
      if (s.kind !== 'search') ctx.report.add('info', 'endpoint-required', s.pageId, `Leaving screen ${s.id} asks the endpoint, which applies the form's logic to choose the next screen.`);
    }
    const pickerKey = s.fields.find((cf) => cf.entry.pickerErrorsKey !== undefined)?.entry.pickerErrorsKey;
    const raw = screenBody(s, operandOf, ctx, requiredModes);
    const body = pickerKey === undefined ? raw : bindPickerErrors(raw, pickerKey);
    const payload = route.kind === 'endpoint' ? exchangePayload(entries, s.id, order) : {};
    const pickCf = s.kind === 'pick' ? s.fields[0] : undefined;
    builder.screen(s.id, (b) => {
      b.title(s.title).add(...body, routeFooter(route, texts.next, payload, entryData));
      const key = pickCf?.entry.searchable?.dataKey;
      if (key && pickCf) {
        const example = (pickCf.entry.options ?? []).slice(0, 3).map((o) => ({ id: o.flowId, title: o.title }));
        b.data({ [key]: example });
      }
      if (pickerKey !== undefined) b.dataSchema({ [pickerKey]: pickerErrorsDeclaration() });
    });
    if (route.kind === 'endpoint') builder.routes(s.id, route.next);
    mapScreens.push({ id: s.id, pageId: s.pageId, routing: route.kind, next: route.kind === 'endpoint' ? route.next : t.targets });
  }
  const labelOf = (id: string): string => operandsByField.get(id)?.field.label ?? id;
  builder.screen(summaryId, (b) => b.title(texts.reviewTitle).heading(texts.reviewTitle).add(...recapComponents(entries, labelOf, ctx)).footer(texts.confirm, { name: 'navigate', next: { type: 'screen', name: doneId }, payload: {} }));
  builder.screen(doneId, (b) => b.title(texts.successTitle).terminal().heading(texts.successTitle).body(texts.successMessage.slice(0, 4096)).footer(texts.submit, { name: 'complete', payload: completePayload(entries) }));
  if (endpoint) builder.endpoint('3.0');
  const fieldMap: FieldMap = {
    formId: model.id, flowVersion: version, fields: entries,
    pages: model.pages.map((p) => ({ id: p.id, fieldIds: p.fields.map((f) => f.id), jumps: p.jumps ?? [], screens: screens.filter((s) => s.pageId === p.id).map((s) => s.id) })),
    screens: mapScreens, summaryScreen: summaryId, endpoint,
  };
  return { flow: builder.build(), fieldMap, report: report.entries };
}

function requireSwitchField(fields: readonly { field: { id: string }; components: unknown[]; entry: FieldMapEntry }[], fieldId: string, ctx: CompileContext): void {
  const cf = fields.find((f) => f.field.id === fieldId);
  if (!cf || cf.entry.required) return;
  for (const c of cf.components) if (typeof c === 'object' && c !== null && 'required' in c) (c).required = true;
  ctx.report.add('warning', 'approximated', fieldId, 'This question decides which section comes next, so it is required in the flow (one Footer per answer).');
}

/** The data_exchange payload: every answer up to this screen (files only from this screen; Meta, "Media upload"). */
function exchangePayload(entries: readonly FieldMapEntry[], here: string, order: ReadonlyMap<string, number>): ActionPayload {
  const at = order.get(here) ?? 0;
  const payload: ActionPayload = {};
  const put = (name: string | undefined, screen: string | undefined, media: boolean): void => {
    const where = screen === undefined ? undefined : order.get(screen);
    if (name === undefined || where === undefined || where > at || (media && where !== at)) return;
    payload[name] = where === at ? `\${form.${name}}` : `\${screen.${screen ?? ''}.form.${name}}`;
  };
  for (const e of entries) {
    const media = e.valueType === 'media';
    if (e.rows) for (const r of e.rows) put(r.flowName, r.screen, false);
    else put(e.flowName, e.screen, media);
    put(e.otherFlowName, e.screen, false);
    put(e.timeFlowName, e.screen, false);
    if (e.searchable) put(e.searchable.queryName, e.searchable.searchScreen, false);
  }
  return payload;
}
