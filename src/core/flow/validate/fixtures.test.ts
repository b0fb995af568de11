/**
 * Meta's own example flows (shared fixtures) must validate with no error;
 * frozen versions carry exactly the frozen-version warning.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FROZEN_FLOW_JSON_VERSIONS } from '../version.js';
import { validateFlowText } from './validate-text.js';

const dir = '/work/shared/fixtures/meta';
const examplesDir = fileURLToPath(new URL('../../../../examples/flows/', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

/**
 * Fixtures that break Meta's own documented rules, with the exact errors
 * expected. Kept to a minimum: each entry is a defect in Meta's example, not
 * a validator choice.
 */
const knownDefects: Record<string, { why: string; errors: Array<{ code: string; pointer: string }> }> = {
  'v2.1_sign_in.json': {
    why: "the EmbeddedLink text \"Don't have an account? Sign up\" has 30 characters; Meta's components reference limits EmbeddedLink text to 25 (spec §1.9)",
    errors: [{ code: 'FB_MAX_CHARS', pointer: '/screens/0/layout/children/0/children/2/text' }],
  },
  'v6.2_navigation_list.json': {
    why: 'the example navigates to FOURTH_SCREEN, which it never defines, and sends FIFTH_SCREEN payloads that do not match its data model (spec §1.4, §1.8)',
    errors: [
      { code: 'INVALID_NAVIGATE_ACTION_NEXT_SCREEN_NAME', pointer: '/screens/0/layout/children/0/list-items/2/on-click-action/next/name' },
      { code: 'INVALID_NAVIGATE_ACTION_PAYLOAD', pointer: '/screens/0/layout/children/0/list-items/3/on-click-action/payload' },
      { code: 'INVALID_NAVIGATE_ACTION_PAYLOAD', pointer: '/screens/0/layout/children/0/list-items/4/on-click-action/payload/first_name' },
    ],
  },
};

describe('Meta fixtures', () => {
  it('are all present', () => {
    expect(files.length).toBeGreaterThanOrEqual(30);
  });

  it.each(files)('%s validates with no error (known defects: exactly their errors)', (file) => {
    const text = readFileSync(join(dir, file), 'utf8');
    const declared = (JSON.parse(text) as { version: string }).version;
    const result = validateFlowText(text);
    const errors = result.findings.filter((f) => f.severity === 'error');
    const defect = knownDefects[file];
    expect(errors.map((f) => ({ code: f.code, pointer: f.pointer })), defect?.why ?? JSON.stringify(errors, null, 1)).toEqual(defect?.errors ?? []);
    expect(result.valid).toBe(defect === undefined);
    expect(result.version).toBe(declared);
    const frozen = result.findings.filter((f) => f.code === 'FB_FROZEN_FLOW_JSON_VERSION');
    expect(frozen.length).toBe(FROZEN_FLOW_JSON_VERSIONS.includes(declared) ? 1 : 0);
    if (frozen[0]) expect(frozen[0].span?.line_start).toBe(text.split('\n').findIndex((l) => l.includes('"version"')) + 1);
  });
});

describe('project examples (examples/flows, run by `npm start`)', () => {
  const examples = readdirSync(examplesDir).filter((f) => f.endsWith('.json'));

  it('exist', () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  it.each(examples)('%s validates with no finding at all', (file) => {
    const result = validateFlowText(readFileSync(join(examplesDir, file), 'utf8'));
    expect(result.findings, JSON.stringify(result.findings, null, 1)).toEqual([]);
    expect(result.version).toBe('7.3');
  });
});
