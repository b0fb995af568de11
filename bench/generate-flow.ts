/**
 * Generates large, valid Flow JSON documents for benchmarks and tests: a chain
 * of screens (navigate with payloads, each screen declaring exactly the data
 * its incoming payload carries), the last one terminal. Every screen has
 * exactly 50 components counting nested ones (Meta's per-screen maximum):
 * text, inputs, selection lists with options, If, Switch, OptIn,
 * EmbeddedLink, Footer; odd screens wrap their inputs in a Form.
 * @module
 */
import type { JsonObject } from '../src/core/flow/json.js';

/** Components per generated screen (Meta: "Components", max 50 per screen). */
export const COMPONENTS_PER_SCREEN = 50;

/** `12` → `bc`: screen ids may only contain letters and underscores. */
function letters(n: number): string {
  return String(n).replace(/\d/g, (d) => 'abcdefghij'.charAt(Number(d)));
}

const screenId = (i: number): string => `STEP_${letters(i).toUpperCase()}`;

function options(prefix: string, count: number): JsonObject[] {
  return Array.from({ length: count }, (_, k) => ({ id: `${prefix}_${letters(k)}`, title: `Option ${k + 1}`, description: `Description of option ${k + 1}` }));
}

/** Eight input-heavy components; names are unique per screen. */
function inputBlock(b: string): JsonObject[] {
  return [
    { type: 'TextSubheading', text: `Section ${b.toUpperCase()}` },
    { type: 'TextInput', name: `name_${b}`, label: 'Full name', 'input-type': 'text', required: true, 'helper-text': 'As on your ID card' },
    { type: 'TextArea', name: `notes_${b}`, label: 'Notes', required: false, 'max-length': 300 },
    { type: 'RadioButtonsGroup', name: `choice_${b}`, label: 'Pick one', required: true, 'data-source': options('r', 3) },
    { type: 'CheckboxGroup', name: `extras_${b}`, label: 'Pick any', 'data-source': options('c', 4) },
    { type: 'Dropdown', name: `city_${b}`, label: 'City', required: true, 'data-source': options('d', 6) },
    { type: 'DatePicker', name: `date_${b}`, label: 'Preferred date', 'min-date': '2025-01-01', 'max-date': '2030-12-31' },
    { type: 'TextCaption', text: `Fields of section ${b.toUpperCase()} are kept private.` },
  ];
}

/** The payload a screen passes on, and the data the next screen declares for it. */
const payload = { prev_name: '${form.name_a}', prev_choice: '${form.choice_a}' };
const incomingData = {
  prev_name: { type: 'string', __example__: 'Ann Lee' },
  prev_choice: { type: 'string', __example__: 'r_a' },
};

function screen(i: number, count: number): JsonObject {
  const terminal = i === count - 1;
  const action = terminal
    ? { name: 'complete', payload: { name: '${form.name_a}', choice: '${form.choice_a}', extras: '${form.extras_a}' } }
    : { name: 'navigate', next: { type: 'screen', name: screenId(i + 1) }, payload };
  const head: JsonObject[] = [
    { type: 'TextHeading', text: `Step ${i + 1} of ${count}` },
    { type: 'TextBody', text: i === 0 ? 'Welcome! Please answer a few questions.' : '${data.prev_name}' },
  ];
  const inputs = ['a', 'b', 'c', 'd'].flatMap(inputBlock);
  const consent: JsonObject[] = [
    { type: 'OptIn', name: 'agree', label: 'I agree to the terms and conditions', required: true },
    { type: 'OptIn', name: 'news', label: 'Send me news about products' },
  ];
  const link: JsonObject = terminal
    ? { type: 'TextCaption', text: 'Press Submit to finish.' }
    : { type: 'EmbeddedLink', text: 'Skip this step', 'on-click-action': action };
  const footer: JsonObject = { type: 'Footer', label: terminal ? 'Submit' : 'Continue', 'on-click-action': action };
  const notes: JsonObject[] = Array.from({ length: 5 }, (_, k) => ({ type: 'TextBody', text: `Note ${k + 1}: answers can be changed later.` }));
  let children: JsonObject[];
  if (i % 2 === 1) {
    // 2 + Form(1 + 32 + 2 + 1 + 3 + 1 + 5) + 3 = 50
    const captions = Array.from({ length: 3 }, (_, k) => ({ type: 'TextCaption', text: `Caption ${k + 1}` }));
    children = [...head, { type: 'Form', name: 'step_form', children: [...inputs, ...consent, link, ...captions, footer, ...notes] }, ...captions];
  } else {
    // 2 + 32 + 2 + 1 + If(3) + Switch(4) + 5 + Footer(1) = 50
    const conditional: JsonObject[] = [
      { type: 'If', condition: '${form.agree}', then: [{ type: 'TextBody', text: 'Thank you for agreeing.' }], else: [{ type: 'TextBody', text: 'Please accept the terms.' }] },
      {
        type: 'Switch',
        value: '${form.choice_a}',
        cases: {
          r_a: [{ type: 'TextBody', text: 'You picked the first option.' }],
          r_b: [{ type: 'TextBody', text: 'You picked the second option.' }],
          r_c: [{ type: 'TextBody', text: 'You picked the third option.' }],
        },
      },
    ];
    children = [...head, ...inputs, ...consent, link, ...conditional, ...notes, footer];
  }
  return {
    id: screenId(i),
    title: `Step ${i + 1}`,
    ...(terminal ? { terminal: true, success: true } : {}),
    ...(i > 0 ? { data: incomingData } : {}),
    layout: { type: 'SingleColumnLayout', children },
  };
}

/** A valid Flow JSON 7.3 document of `screens` screens (1–100) × 50 components. */
export function generateFlow(screens = 100): JsonObject {
  return { version: '7.3', screens: Array.from({ length: screens }, (_, i) => screen(i, screens)) };
}
