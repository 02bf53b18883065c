// ESLint (flat config): typescript-eslint's recommended rules for every TypeScript file, Solid's
// for the app's components, and the house rules below. `npm run lint` runs it (and the import
// cycle check); CI runs `npm run lint` after the type check.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import solid from 'eslint-plugin-solid/configs/typescript';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/', 'bench/', 'coverage/', 'node_modules/', 'test/e2e/artifacts/', 'public/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'smart'],
      'no-var': 'error',
      'prefer-const': 'error',
    },
  },
  {
    files: ['client/**/*.tsx'],
    ...solid,
    rules: {
      ...solid.rules,
      // `let el; <div ref={el}>`: Solid's compiler assigns refs, which ESLint cannot see.
      'no-unassigned-vars': 'off',
    },
  },
  {
    // Tests drive signals from outside any component, on purpose.
    files: ['client/**/*.test.tsx', 'client/test-utils.tsx'],
    rules: { 'solid/reactivity': 'off' },
  },
  {
    // DESIGN §2: the store is reached through its repositories (server/store/); no other folder
    // queries its tables. (The benchmark seeds tables directly, for speed.)
    files: ['**/*.ts'],
    ignores: ['server/store/**', 'test/bench/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'CallExpression[callee.property.name=/^(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)$/]',
          message: 'Reach the database through a repository of server/store/.',
        },
      ],
    },
  },
);
