/**
 * Single mutations of a generated valid flow, each breaking exactly one rule
 * on purpose, with the error code the validator must report and the pointer
 * prefix the finding must sit under. A mutation returns undefined when the
 * flow has no place to apply it (e.g. no TextInput to lengthen).
 * @module
 */
import { forEachComponentInFlow, screensOf } from '../../src/core/flow/walk.js';
import type { JsonObject } from '../../src/core/flow/json.js';
import type { GeneratedFlow } from './flow.js';

/** One applied mutation. */
export interface Mutated {
  readonly flow: JsonObject;
  /** The expected error code. */
  readonly code: string;
  /** An error with `code` must have a pointer starting with this. */
  readonly pointerPrefix: string;
}

/** A named mutation. */
export interface Mutation {
  readonly id: string;
  readonly apply: (g: GeneratedFlow, pick: number) => Mutated | undefined;
  /** Suggested fast-check runs (big mutations are slow to validate). */
  readonly runs?: number;
}

type Doc = any;

const clone = (g: GeneratedFlow): Doc => structuredClone(g.flow);

/** Where the last screen's Footer sits (top level or inside its Form). */
function terminalFooter(doc: Doc): { footer: Doc; pointer: string } | undefined {
  let found: { footer: Doc; pointer: string } | undefined;
  const lastIndex = doc.screens.length - 1;
  forEachComponentInFlow(doc, (c) => {
    if (c.type === 'Footer' && c.screen.index === lastIndex) found = { footer: c.node, pointer: c.pointer };
  });
  return found;
}

/** Every mutation of the property test, with the code Meta (spec §1.12) reports. */
export const MUTATIONS: readonly Mutation[] = [
  {
    id: 'drop a required key',
    apply: (g, pick) => {
      const doc = clone(g);
      const targets: Array<{ pointer: string; drop: () => void }> = [];
      screensOf(doc).forEach((s) => targets.push({ pointer: s.pointer, drop: () => delete s.node.layout }));
      forEachComponentInFlow(doc, (c) => {
        if (c.type === 'Footer') targets.push({ pointer: c.pointer, drop: () => delete c.node.label });
        if (c.type === 'TextInput' || c.type === 'Dropdown') targets.push({ pointer: c.pointer, drop: () => delete c.node.label });
        if (c.type === 'RadioButtonsGroup') targets.push({ pointer: c.pointer, drop: () => delete c.node['data-source'] });
      });
      const target = targets[pick % targets.length]!;
      target.drop();
      return { flow: doc, code: 'MISSING_REQUIRED_TYPE_PROPERTY', pointerPrefix: target.pointer };
    },
  },
  {
    id: 'dangle ${data.missing} in the complete payload',
    apply: (g) => {
      const doc = clone(g);
      const t = terminalFooter(doc);
      if (!t) return undefined;
      t.footer['on-click-action'].payload.dangling = '${data.missing_key}';
      return { flow: doc, code: 'INVALID_ON_CLICK_ACTION_PAYLOAD', pointerPrefix: t.pointer };
    },
  },
  {
    id: 'dangle ${form.missing} in the complete payload',
    apply: (g) => {
      const doc = clone(g);
      const t = terminalFooter(doc);
      if (!t) return undefined;
      t.footer['on-click-action'].payload.dangling = '${form.missing_field}';
      return { flow: doc, code: 'INVALID_ON_CLICK_ACTION_PAYLOAD', pointerPrefix: t.pointer };
    },
  },
  {
    id: 'add a cycle (last non-terminal screen back to the first)',
    apply: (g) => {
      if (g.screens.length < 3) return undefined;
      const doc = clone(g);
      const from = doc.screens[doc.screens.length - 2];
      const first = doc.screens[0].id as string;
      if (doc.routing_model) doc.routing_model[from.id].push(first);
      const link = { type: 'EmbeddedLink', text: 'Start over', 'on-click-action': { name: 'navigate', next: { type: 'screen', name: first }, payload: {} } };
      const children: Doc[] = from.layout.children;
      const links = children.filter((c) => c.type === 'EmbeddedLink');
      if (links.length >= 2) links[0]['on-click-action'] = link['on-click-action'];
      else children.unshift(link);
      return { flow: doc, code: 'INVALID_ROUTING_MODEL', pointerPrefix: '' };
    },
  },
  {
    id: 'exceed 50 components on a screen',
    apply: (g, pick) => {
      const doc = clone(g);
      const i = pick % doc.screens.length;
      const children: Doc[] = doc.screens[i].layout.children;
      let total = 0;
      forEachComponentInFlow({ screens: [doc.screens[i]] }, () => total++);
      for (; total < 51; total++) children.unshift({ type: 'TextBody', text: 'Filler text' });
      return { flow: doc, code: 'MAX_ALLOWED_COMPONENTS_PER_SCREEN', pointerPrefix: `/screens/${i}` };
    },
  },
  {
    id: 'exceed 20 radio options',
    apply: (g, pick) => {
      const doc = clone(g);
      const radios: Array<{ node: Doc; pointer: string }> = [];
      forEachComponentInFlow(doc, (c) => { if (c.type === 'RadioButtonsGroup') radios.push(c); });
      const r = radios[pick % Math.max(1, radios.length)];
      if (!r) return undefined;
      r.node['data-source'] = Array.from({ length: 21 }, (_, k) => ({ id: `o${k}`, title: `Option ${k}` }));
      return { flow: doc, code: 'MAX_ITEMS_REQUIRED', pointerPrefix: r.pointer };
    },
  },
  {
    id: 'a 21-character TextInput label',
    apply: (g, pick) => {
      const doc = clone(g);
      const inputs: Array<{ node: Doc; pointer: string }> = [];
      forEachComponentInFlow(doc, (c) => { if (c.type === 'TextInput') inputs.push(c); });
      const t = inputs[pick % Math.max(1, inputs.length)];
      if (!t) return undefined;
      t.node.label = 'L'.repeat(21);
      return { flow: doc, code: 'FB_MAX_CHARS', pointerPrefix: t.pointer };
    },
  },
  {
    id: '101 screens',
    runs: 4,
    apply: (g) => {
      const doc = clone(g);
      const last = doc.screens[doc.screens.length - 1];
      for (let k = 0; doc.screens.length < 101; k++) doc.screens.push({ ...structuredClone(last), id: `EXTRA_${letters(k)}` });
      return { flow: doc, code: 'MAX_SCREENS_NUMBER', pointerPrefix: '/screens' };
    },
  },
  {
    id: 'duplicate a screen id',
    apply: (g, pick) => {
      if (g.screens.length < 2) return undefined;
      const doc = clone(g);
      const i = 1 + (pick % (doc.screens.length - 1));
      doc.screens[i].id = doc.screens[0].id;
      return { flow: doc, code: 'DUPLICATE_SCREEN_IDS', pointerPrefix: '/screens' };
    },
  },
];

function letters(k: number): string {
  return String.fromCharCode(65 + Math.floor(k / 26) % 26) + String.fromCharCode(65 + (k % 26));
}
