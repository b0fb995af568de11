/**
 * Split the form's pages into screens within Meta's limits (Meta,
 * "Components": 50 components per screen, one Photo/DocumentPicker per
 * screen, five OptIns per screen), honouring per-field order and screen
 * grouping overrides. A choice served by the endpoint gets a search screen
 * and a pick screen of its own.
 * @module
 */
import type { Component } from '../flow/model/component.js';
import type { FormModel, FormPage } from '../form/form-model.js';
import type { CompileContext } from './compile-context.js';
import { compileField, type CompiledField } from './compile-field.js';

/** One planned screen, before routing is known. */
export interface PlannedScreen {
  id: string;
  title: string;
  pageId: string;
  pageIndex: number;
  kind: 'fields' | 'search' | 'pick';
  fields: CompiledField[];
  /** First screen of a page: its heading and description. */
  heading?: string;
  description?: string;
}

/** Components per screen kept free for heading, description, footer and If wrappers. */
const SCREEN_BUDGET = 44;

/** Count components including those inside containers (the conservative reading of the 50 limit). */
export function countComponents(components: readonly Component[]): number {
  let n = 0;
  for (const c of components) {
    n++;
    if (c.type === 'If') n += countComponents(c.then) + countComponents(c.else ?? []);
    else if (c.type === 'Switch') for (const branch of Object.values(c.cases)) n += countComponents(branch);
    else if (c.type === 'Form') n += countComponents(c.children);
  }
  return n;
}

function orderedFields(page: FormPage, ctx: CompileContext): FormPage['fields'] {
  const ov = ctx.overrides.fields ?? {};
  const indexed = page.fields.map((f, i) => ({ f, i, order: ov[f.id]?.order }));
  indexed.sort((a, b) => (a.order ?? a.i) - (b.order ?? b.i) || a.i - b.i);
  // Fields sharing a screen group move next to the group's first member.
  const out: FormPage['fields'] = [];
  const placed = new Set<string>();
  for (const { f } of indexed) {
    if (placed.has(f.id)) continue;
    const group = ov[f.id]?.screen;
    const members = group === undefined ? [f] : indexed.map((x) => x.f).filter((g) => ov[g.id]?.screen === group);
    for (const m of members) {
      out.push(m);
      placed.add(m.id);
    }
  }
  return out;
}

/** Plan the screens of every page, in order. */
export function planScreens(model: FormModel, ctx: CompileContext, allocateId: (title: string) => string): PlannedScreen[] {
  const screens: PlannedScreen[] = [];
  const groupOf = (c: CompiledField): string | undefined => ctx.overrides.fields?.[c.field.id]?.screen;
  model.pages.forEach((page, pageIndex) => {
    const baseTitle = page.title?.trim() || ctx.overrides.flow?.title || model.title;
    const pageScreens: PlannedScreen[] = [];
    let current: PlannedScreen | undefined;
    let used = 0;
    let pickers = 0;
    let optIns = 0;
    const open = (kind: PlannedScreen['kind']): PlannedScreen => {
      const s: PlannedScreen = { id: '', title: baseTitle, pageId: page.id, pageIndex, kind, fields: [] };
      if (pageScreens.length === 0) {
        if (page.title?.trim()) s.heading = page.title.trim();
        if (page.description?.trim()) s.description = page.description.trim();
      }
      pageScreens.push(s);
      used = (s.heading ? 1 : 0) + (s.description ? 1 : 0);
      pickers = 0;
      optIns = 0;
      return s;
    };
    for (const field of orderedFields(page, ctx)) {
      const compiled = compileField(field, page.id, ctx);
      if (compiled.search) {
        open('search').fields.push(compiled);
        open('pick').fields.push(compiled);
        current = undefined;
        continue;
      }
      if (compiled.components.length === 0) {
        (current ?? pageScreens[pageScreens.length - 1] ?? (current = open('fields'))).fields.push(compiled);
        continue;
      }
      const size = countComponents(compiled.components) + 1;
      const last = current?.fields[current.fields.length - 1];
      const groupBreak = last !== undefined && groupOf(last) !== groupOf(compiled) && (groupOf(last) !== undefined || groupOf(compiled) !== undefined);
      if (!current || used + size > SCREEN_BUDGET || pickers + compiled.pickers > 1 || optIns + compiled.optIns > 5 || groupBreak) current = open('fields');
      current.fields.push(compiled);
      used += size;
      pickers += compiled.pickers;
      optIns += compiled.optIns;
    }
    if (pageScreens.length === 0) open('fields');
    const total = pageScreens.length;
    pageScreens.forEach((s, i) => {
      if (total > 1) s.title = `${baseTitle} (${i + 1}/${total})`;
      s.id = allocateId(s.kind === 'fields' ? baseTitle : `${baseTitle}_${s.kind}`);
    });
    if (total > 1) ctx.report.add('info', 'split', page.id, `Page '${page.title ?? page.id}' is shown on ${total} screens to stay within WhatsApp's per-screen limits.`);
    screens.push(...pageScreens);
  });
  return screens;
}
