import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'dist-bench/**', 'node_modules/**', 'raito-sync/**', 'coverage/**', 'test/fixtures/**/node_modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', URL: 'readonly', Buffer: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', fetch: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', setImmediate: 'readonly', Response: 'readonly', Headers: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // SDK clients are loaded through src/aws/sdk/ (require: an ESM import of their CommonJS build
    // costs every start ~120 ms of CPU; see src/aws/sdk/load.ts). Types may be imported directly.
    // The usage importer is exempt: the plugin loads it only when a usage sync runs.
    files: ['src/**/*.ts'],
    ignores: ['src/aws/sdk/**', 'src/importers/usage/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@aws-sdk/client-*'], allowTypeImports: true, message: 'Import SDK values from src/aws/sdk/<client>.js (see src/aws/sdk/load.ts); type-only imports are fine.' }] },
      ],
    },
  },
);
