// ESLint flat config. Besides the typed rules, this file enforces the
// architecture: imports point inward only (see docs/ARCHITECTURE.md).
import tseslint from 'typescript-eslint';

const outerLayers = ['server', 'cli', 'services', 'store', 'queue', 'emulator', 'config', 'main'];
const inwardOnly = (folder, banned, extraPatterns = []) => ({
  files: [`src/${folder}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...banned.map((b) => ({
            group: [b],
            message: `src/${folder} may not import this: imports point inward only (docs/ARCHITECTURE.md).`,
          })),
          ...extraPatterns,
        ],
      },
    ],
  },
});
const layerPatterns = (names) => names.flatMap((n) => [`**/${n}/**`, `**/${n}`, `**/${n}.js`]);

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'web/**', 'bin/**', 'eslint.config.js', 'vitest.config.ts'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
    },
  },
  // core: pure, browser-safe; only its schema library (zod) from outside.
  inwardOnly('core', [
    'node:*', 'fs', 'net', 'http', 'https', 'crypto', 'path', 'child_process',
    'fastify', 'kysely', 'better-sqlite3', 'pg', 'commander', '@inquirer/*', 'pino',
    ...layerPatterns(['sources', 'sinks', 'whatsapp', ...outerLayers]),
  ], [{
    // every package is banned except zod; relative imports stay allowed.
    regex: '^(?!zod$|\\.)',
    message: 'src/core is pure and browser-safe: it may import nothing from outside the project but zod.',
  }]),
  inwardOnly('sources', layerPatterns(['sinks', 'whatsapp', ...outerLayers])),
  inwardOnly('sinks', layerPatterns(['sources', 'whatsapp', ...outerLayers])),
  inwardOnly('whatsapp', layerPatterns(['sources', 'sinks', ...outerLayers])),
  inwardOnly('store', layerPatterns(['sources', 'sinks', 'whatsapp', 'server', 'cli', 'services', 'queue', 'emulator', 'main'])),
  inwardOnly('queue', layerPatterns(['sources', 'sinks', 'whatsapp', 'server', 'cli', 'services', 'emulator', 'main'])),
  inwardOnly('services', layerPatterns(['server', 'cli', 'emulator', 'main'])),
  inwardOnly('emulator', layerPatterns(['server', 'cli', 'services', 'main'])),
  inwardOnly('server', layerPatterns(['cli', 'main'])),
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'src/**/*.test.ts', 'src/**/*.cases.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      // tests may read fixtures from disk even beside pure code
      'no-restricted-imports': 'off',
    },
  },
);
