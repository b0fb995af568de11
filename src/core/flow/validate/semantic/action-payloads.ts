/**
 * What action payloads may carry: media picker values only as whole
 * top-level strings of `data_exchange` / `complete` payloads, in `complete`
 * only one picker allowing at most one file, never in `navigate`; and never
 * a Form's own name as a form value (Meta, "Media upload"; "Error codes" →
 * "On-click action errors", "Native component errors"; spec §1.8, §1.9).
 * @module
 */
import type { Rule } from '../context.js';
import { isObject } from '../../json.js';
import { refsInJson, type Ref } from '../../expr/index.js';
import type { ComponentVisit } from '../../walk.js';
import { flowIndex } from './flow-index.js';
import { MEDIA_PICKER_TYPES } from './inputs.js';

/** A reference inside a payload. */
export interface PayloadRef {
  readonly ref: Ref;
  /** Pointer of the string holding the reference. */
  readonly pointer: string;
  /** True when the string is exactly one `${...}` and is a direct value of the payload. */
  readonly topLevelBinding: boolean;
}

/** Every reference in a payload object (bindings and expressions), recursively. Never throws. */
export function payloadRefs(payload: unknown, pointer: string): PayloadRef[] {
  if (!isObject(payload)) return [];
  // Uses are at `${pointer}/…`; escaped segments hold no '/', so a direct member has none after the prefix.
  return refsInJson(payload, pointer).map((use) => ({
    ref: use.ref,
    pointer: use.pointer,
    topLevelBinding: use.via === 'binding' && use.pointer.indexOf('/', pointer.length + 1) === -1,
  }));
}

/** Meta's default for max-uploaded-photos / max-uploaded-documents. */
export const DEFAULT_MAX_UPLOADS = 30;

function maxUploads(picker: ComponentVisit): { prop: string; max: number } {
  const prop = picker.type === 'PhotoPicker' ? 'max-uploaded-photos' : 'max-uploaded-documents';
  const value = picker.node[prop];
  return { prop, max: typeof value === 'number' ? value : DEFAULT_MAX_UPLOADS };
}

function resolve(ref: Ref, screenId: string | undefined): { screen: string | undefined; name: string } | undefined {
  if (ref.kind === 'form' && ref.path[0] !== undefined) return { screen: screenId, name: ref.path[0] };
  if (ref.kind === 'screen' && ref.source === 'form' && ref.path[0] !== undefined) return { screen: ref.screen, name: ref.path[0] };
  return undefined;
}

/** Picker and Form-name rules for every action payload of the flow. */
export const checkActionPayloads: Rule = (ctx) => {
  const { findings } = ctx;
  const screens = flowIndex(ctx).screens;
  const pickers = new Map<string, ComponentVisit>();
  const formNames = new Map<string, Set<string>>();
  const key = (screen: string | undefined, name: string): string => `${screen ?? ''}\u0000${name}`;
  for (const { screen, components } of screens) {
    const names = new Set<string>();
    for (const c of components) {
      if (typeof c.node.name !== 'string') continue;
      if (MEDIA_PICKER_TYPES.has(c.type)) pickers.set(key(screen.id, c.node.name), c);
      if (c.type === 'Form') names.add(c.node.name);
    }
    formNames.set(screen.id ?? '', names);
  }
  for (const { screen, actions } of screens) {
    for (const a of actions) {
      const refs = payloadRefs(a.action.payload, `${a.pointer}/payload`);
      const used: ComponentVisit[] = [];
      for (const r of refs) {
        const target = resolve(r.ref, screen.id);
        if (!target) continue;
        if (r.ref.kind === 'form' && formNames.get(screen.id ?? '')?.has(target.name)) {
          findings.error('INVALID_ON_CLICK_ACTION_PAYLOAD', r.pointer, "Value of 'Form' component cannot be used in form binding.");
          continue;
        }
        const picker = pickers.get(key(target.screen, target.name));
        if (!picker) continue;
        if (a.name === 'navigate') {
          findings.error('INVALID_ON_CLICK_ACTION_PAYLOAD', r.pointer, `The value of ${picker.type} component is not allowed in the payload of navigate action.`);
        } else if (a.name === 'data_exchange' || a.name === 'complete') {
          if (!r.topLevelBinding) {
            findings.error(
              'INVALID_ON_CLICK_ACTION_PAYLOAD',
              r.pointer,
              'The value of following components must be a top-level string in complete and data_exchange on-click-action payload: : [PhotoPicker, DocumentPicker].',
            );
          } else if (a.name === 'complete') {
            used.push(picker);
            const { prop, max } = maxUploads(picker);
            if (max > 1) {
              findings.error(
                'INVALID_ON_CLICK_ACTION_PAYLOAD',
                r.pointer,
                `${picker.type} can only be used in complete action payload if value of property '${prop}' doesn't exceed 1. Default value is ${DEFAULT_MAX_UPLOADS}.`,
              );
            }
          }
        }
      }
      if (new Set(used).size > 1) {
        findings.error('INVALID_ON_CLICK_ACTION_PAYLOAD', `${a.pointer}/payload`, 'Complete action payload can contain either a single PhotoPicker or a single DocumentPicker component.');
      }
    }
  }
};
