/**
 * The two closing screens: a recap of the answers (read with global
 * references, Flow JSON ≥ 4.0) and the terminal success screen whose
 * `complete` payload carries every answer (Meta, "Flow JSON" → complete
 * action; it becomes the nfm_reply `response_json`).
 * @module
 */
import type { ActionPayload } from '../flow/model/actions.js';
import type { Component } from '../flow/model/component.js';
import { quoteString } from '../flow/expr/format-expr.js';
import { atLeast, type CompileContext } from './compile-context.js';
import { fitText } from './compile-report.js';
import type { FieldMapEntry } from './field-map.js';

/** How many answers the recap lists at most (the 50-components limit, with room for two per answer). */
const RECAP_LIMIT = 20;

const RECAPPED = new Set(['short_text', 'long_text', 'email', 'phone', 'number', 'url', 'date', 'time']);

/** Recap components for the summary screen. */
export function recapComponents(entries: readonly FieldMapEntry[], labelOf: (fieldId: string) => string, ctx: CompileContext): Component[] {
  const out: Component[] = [];
  const shown = entries.filter((e) => e.flowName !== undefined && e.screen && RECAPPED.has(e.type) && (e.type !== 'date' || atLeast(ctx, '5.0')));
  for (const e of shown.slice(0, RECAP_LIMIT)) {
    const ref = `\${screen.${e.screen ?? ''}.form.${e.flowName ?? ''}}`;
    const label = labelOf(e.fieldId).replace(/\s+/g, ' ').trim().slice(0, 60);
    if (atLeast(ctx, '6.0')) {
      const body: Component = { type: 'TextBody', text: `\`${quoteString(`${label}: `)} ${ref}\`` };
      if (e.type !== 'number') body.visible = `\`${ref} != ''\``;
      out.push(body);
    } else {
      out.push({ type: 'TextCaption', text: label || e.fieldId }, { type: 'TextBody', text: ref });
    }
  }
  if (shown.length > RECAP_LIMIT) ctx.report.add('info', 'approximated', '', `The review screen lists the first ${RECAP_LIMIT} of ${shown.length} text answers.`);
  if (entries.some((e) => e.flowName !== undefined && !RECAPPED.has(e.type))) {
    out.push({ type: 'TextCaption', text: 'Choices and files are sent as you gave them.' });
  }
  return out;
}

/** Payload of the final `complete`: every answer the flow collected, keyed by input name. */
export function completePayload(entries: readonly FieldMapEntry[]): ActionPayload {
  const payload: ActionPayload = {};
  const add = (name: string | undefined, screen: string | undefined): void => {
    if (name !== undefined && screen) payload[name] = `\${screen.${screen}.form.${name}}`;
  };
  for (const e of entries) {
    if (e.delivery !== 'complete' || !e.screen) continue;
    if (e.rows) for (const r of e.rows) add(r.flowName, r.screen);
    else add(e.flowName, e.screen);
    add(e.otherFlowName, e.screen);
    add(e.timeFlowName, e.screen);
  }
  return payload;
}

/** Fitted texts of the closing screens. */
export function closingTexts(ctx: CompileContext, endMessage: string | undefined): Record<'reviewTitle' | 'confirm' | 'successTitle' | 'successMessage' | 'submit' | 'next', string> {
  const f = ctx.overrides.flow ?? {};
  return {
    reviewTitle: f.reviewTitle ?? 'Check your answers',
    confirm: fitText(f.confirmLabel ?? 'Confirm', 35, ctx.report, '', 'Confirm button label'),
    successTitle: fitText(f.successTitle ?? 'Thank you', 80, ctx.report, '', 'Success title'),
    successMessage: f.successMessage ?? endMessage ?? 'Press Submit to send your answers.',
    submit: fitText(f.submitLabel ?? 'Submit', 35, ctx.report, '', 'Submit button label'),
    next: fitText(f.nextLabel ?? 'Continue', 35, ctx.report, '', 'Next button label'),
  };
}
