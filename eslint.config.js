// Lint, and the room boundaries of DESIGN.md section 3 made mechanical.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const IO_MODULES = ['pg', 'ioredis', 'dockerode', 'undici', 'systeminformation', 'node:fs', 'node:fs/promises', 'fs', 'fs/promises', 'node:child_process', 'child_process', 'node:net', 'node:http', 'node:https'];
const ioRestriction = (extraPatterns = []) => [
  'error',
  {
    paths: IO_MODULES.map((name) => ({ name, message: 'Rules, scoring and reporters are pure: I/O belongs in collectors and ports.' })),
    patterns: [
      { group: ['**/ports/*', '**/ports'], message: 'Rules, scoring and reporters import no port: they get facts, not sources.' },
      { group: ['**/collectors/*', '**/collectors/**'], message: 'Rules, scoring and reporters read artifacts, not collectors.' },
      ...extraPatterns,
    ],
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'reports/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: Object.fromEntries(
        ['process', 'console', 'URL', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'AbortController', 'fetch', 'Buffer', 'performance'].map((name) => [name, 'readonly']),
      ),
    },
  },
  {
    files: ['src/rules/**/*.ts', 'src/scoring/**/*.ts', 'src/reporters/**/*.ts', 'src/baseline/**/*.ts'],
    rules: { 'no-restricted-imports': ioRestriction() },
  },
  {
    files: ['src/collectors/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/rules/*', '**/rules/**', '**/rules'], message: 'Collectors gather facts; they import no rule.' },
            { group: ['**/reporters/*', '**/reporters'], message: 'Collectors import no reporter.' },
          ],
        },
      ],
    },
  },
  {
    // The shared types depend on nothing: a contract that imported a room would tie every room to it.
    files: ['src/contracts/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(?!\\./)', message: 'Contracts import only other contracts (./<name>.js): no room, no package.' },
          ],
        },
      ],
    },
  },
  {
    // Helpers every room may import (rules, reporters and collectors alike): pure, and tied to no room.
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(?!\\./|\\.\\./contracts/)', message: 'Shared helpers import only other shared helpers and contracts: no room, no package, no I/O.' },
          ],
        },
      ],
    },
  },
  {
    // Only the CLI decides the exit code; nothing ends the process in the middle of work.
    files: ['src/**/*.ts'],
    ignores: ['src/cli.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'exit', message: 'Only the CLI ends the process (DESIGN.md section 3).' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
);
