 
/**
 * Corpus: Footer count and Footers inside If / Switch branches (spec §1.9).
 * @module
 */
import { staticFlow } from './base.js';
import { mutate, type ValidationCase } from './case.js';

const submit = () => ({ type: 'Footer', label: 'Submit', 'on-click-action': { name: 'complete', payload: {} } });
const text = (t: string) => ({ type: 'TextBody', text: t });
const isPro = "${data.plan} == 'pro'";
const hasEmail = "${data.email} != ''";

/** The CONFIRM screen's children replaced by `children` (its TextBody kept first). */
const confirmWith = (...children: unknown[]) =>
  mutate(staticFlow(), (f) => {
    f.screens[1].layout.children = [text('${data.full_name}'), ...children];
  });

export const cases: ValidationCase[] = [
  {
    id: 'semantic-two-footers',
    rule: 'At most one Footer per screen',
    flow: confirmWith(submit(), submit()),
    expect: { code: 'MORE_THAN_ONE_FOOTER', pointer: '/screens/1/layout/children/2', message: 'Maximum number of Footer component allowed per screen is 1' },
  },
  {
    id: 'semantic-if-footer-without-else',
    rule: 'A Footer in If.then needs an else branch with a Footer',
    flow: confirmWith({ type: 'If', condition: isPro, then: [submit()] }),
    expect: { code: 'MISSING_FOOTER_IN_IF_ELSE_BRANCHES', pointer: '/screens/1/layout/children/1', message: "Branch 'else' should exist" },
  },
  {
    id: 'semantic-if-footer-only-in-else',
    rule: 'A Footer in one If branch means one in both',
    flow: confirmWith({ type: 'If', condition: isPro, then: [text('Pro')], else: [submit()] }),
    expect: { code: 'MISSING_FOOTER_IN_IF_ELSE_BRANCHES', pointer: '/screens/1/layout/children/1', message: 'must be present in all branches' },
  },
  {
    id: 'semantic-if-footer-only-in-then',
    rule: 'A Footer in one If branch means one in both',
    flow: confirmWith({ type: 'If', condition: isPro, then: [submit()], else: [text('Basic')] }),
    expect: { code: 'MISSING_FOOTER_IN_IF_ELSE_BRANCHES', pointer: '/screens/1/layout/children/1' },
  },
  {
    id: 'semantic-if-footers-plus-outside',
    rule: 'No Footer outside an If whose branches have Footers',
    flow: confirmWith({ type: 'If', condition: isPro, then: [submit()], else: [submit()] }, submit()),
    expect: { code: 'MORE_THAN_ONE_FOOTER', pointer: '/screens/1/layout/children/1/else/0' },
  },
  {
    id: 'semantic-switch-footer-in-one-case',
    rule: 'A Footer in one Switch case means one in every case',
    flow: confirmWith({ type: 'Switch', value: '${data.plan}', cases: { basic: [submit()], pro: [text('Pro')] } }),
    expect: { code: 'MISSING_FOOTER_IN_SWITCH_BRANCHES', pointer: '/screens/1/layout/children/1/cases', message: 'all switch cases' },
  },
  {
    id: 'semantic-switch-footers-plus-outside',
    rule: 'At most one Footer counting Switch cases',
    flow: confirmWith({ type: 'Switch', value: '${data.plan}', cases: { basic: [submit()], pro: [submit()] } }, submit()),
    expect: { code: 'MORE_THAN_ONE_FOOTER', pointer: '/screens/1/layout/children/1/cases/pro/0' },
  },
  {
    id: 'semantic-two-ifs-with-footers',
    rule: 'At most one Footer on any rendering of the screen',
    flow: confirmWith(
      { type: 'If', condition: isPro, then: [submit()], else: [submit()] },
      { type: 'If', condition: hasEmail, then: [submit()], else: [submit()] },
    ),
    expect: { code: 'MORE_THAN_ONE_FOOTER', pointer: '/screens/1/layout/children/1/else/0' },
  },
  {
    id: 'semantic-footer-in-nested-if',
    rule: 'Footer only in a first-level If',
    flow: confirmWith({
      type: 'If',
      condition: isPro,
      then: [{ type: 'If', condition: hasEmail, then: [submit()], else: [submit()] }],
      else: [submit()],
    }),
    expect: { code: 'FB_FOOTER_IN_NESTED_IF', pointer: '/screens/1/layout/children/1/then/0/then/0', message: 'first level' },
  },
];
