import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { configFields, configSchema } from './config-schema.js';
import { renderConfigDocs } from './render-config-docs.js';
import { configDocPaths } from './write-config-docs.js';

describe('generated configuration docs', () => {
  const docs = renderConfigDocs();

  it('docs/configuration.md matches the schema (run `npm run docs:config` after changing it)', () => {
    expect(readFileSync(configDocPaths.markdown, 'utf8')).toBe(docs.markdown);
  });

  it('.env.example matches the schema (run `npm run docs:config` after changing it)', () => {
    expect(readFileSync(configDocPaths.envExample, 'utf8')).toBe(docs.envExample);
  });

  it('documents every field, with its variable and secret file variant', () => {
    for (const field of configFields) {
      expect(docs.markdown).toContain(`\`${field.meta.env}\``);
      expect(docs.markdown).toContain(field.meta.description);
      expect(docs.envExample).toMatch(new RegExp(`^#? ?${field.meta.env}=`, 'm'));
      if (field.meta.secret === true) expect(docs.envExample).toContain(`${field.meta.env}_FILE=`);
    }
  });
});

describe('configSchema metadata', () => {
  it('gives every field a unique FLOWBRIDGE_* variable and a zod description', () => {
    const names = configFields.map((f) => f.meta.env);
    expect(new Set(names).size).toBe(names.length);
    for (const field of configFields) {
      expect(field.meta.env).toMatch(/^FLOWBRIDGE_[A-Z0-9_]+$/);
      expect(field.schema.description).toBe(field.meta.description);
      expect(field.meta.description.length).toBeGreaterThan(10);
    }
    expect(configFields.map((f) => f.key).sort()).toEqual(Object.keys(configSchema.in.shape).sort());
  });
});
