/**
 * Terminal screen rules (Meta, "Flow JSON" → "Screens" and "Error codes" →
 * "Terminal screen errors", "Complete action errors"; spec §1.3).
 * @module
 */
import type { Rule } from '../context.js';
import { isAtLeast, version as versionLiteral } from '../../version.js';
import { flowIndex } from './flow-index.js';

/** Version gates, parsed once (not per call). */
const V_3_1 = versionLiteral('3.1');
const V_6_2 = versionLiteral('6.2');

/**
 * A flow ends somewhere: at least one terminal screen, each with a Footer to
 * finish on, at least one of them a success (`success` defaults to true),
 * `success` only on terminal screens, `complete` only on terminal screens'
 * Footers, and no NavigationList on a terminal screen. A terminal screen's
 * Footer that navigates is a warning: Meta advises against it since the
 * flow cannot end there (spec §1.3).
 */
export const checkTerminalScreens: Rule = (ctx) => {
  const { findings } = ctx;
  // Before 3.1 `success` is an unknown key, which the structural rules report.
  const hasSuccess = isAtLeast(ctx.version, V_3_1);
  const indexed = flowIndex(ctx).screens;
  if (indexed.length === 0) return;
  const terminals = indexed.map((s) => s.screen).filter((s) => s.node.terminal === true);
  if (terminals.length === 0) {
    findings.error('MISSING_TERMINAL_SCREEN', '/screens', 'Terminal screen is required but not provided.');
  }
  for (const { screen, components, actions } of indexed) {
    const terminal = screen.node.terminal === true;
    if (terminal && !components.some((c) => c.type === 'Footer')) {
      findings.error('MISSING_FOOTER_ON_TERMINAL_SCREEN', screen.pointer, `Footer component is missing on terminal screens: ${screen.id ?? screen.index}.`);
    }
    if (!terminal && hasSuccess && screen.node.success !== undefined) {
      findings.error('NOT_KEYWORD_SCHEMA_VALIDATION_FAILED', `${screen.pointer}/success`, "Property 'success' can only be specified on a terminal screen.");
    }
    for (const a of actions) {
      if (a.component.type !== 'Footer' || a.property !== 'on-click-action') continue;
      if (!terminal && a.name === 'complete') {
        findings.error('INVALID_COMPLETE_ACTION', a.pointer, "On-click-action 'complete' can only be configured on a terminal screen.");
      } else if (terminal && a.name === 'navigate') {
        findings.warning(
          'FB_NAVIGATE_ON_TERMINAL_FOOTER',
          a.pointer,
          `The Footer of terminal screen '${screen.id ?? screen.index}' navigates away, so the flow cannot end on this screen: use 'complete' (or 'data_exchange' with an endpoint).`,
        );
      }
    }
    for (const c of terminal ? components : []) {
      if (c.type === 'NavigationList' && isAtLeast(ctx.version, V_6_2)) {
        findings.error('FB_NAVIGATION_LIST_ON_TERMINAL_SCREEN', c.pointer, `NavigationList cannot be used on terminal screen '${screen.id ?? screen.index}'.`);
      }
    }
  }
  if (hasSuccess && terminals.length > 0 && terminals.every((s) => s.node.success === false)) {
    const first = terminals[0];
    if (first) findings.error('INVALID_PROPERTY_VALUE', `${first.pointer}/success`, "At least one terminal screen must have property 'success' set as true.");
  }
};
