// typescript-eslint's recommended rules over every TypeScript and JavaScript file of the repository.
// Formatting is Prettier's (npm run format:check); nothing here concerns layout.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/', '**/dist/', 'coverage/', 'docs/api/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // An argument named `_x` is kept for its position (passport's verify arities count declared parameters).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Hostile input is checked for control characters on purpose.
      'no-control-regex': 'off',
      // A variable a closure reads before its one assignment cannot be a const.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // Module augmentation (`interface PassportUser extends AppUser {}`) is how a framework's types are extended.
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
    },
  },
  {
    // The compatibility rows record what passport-oauth2 passes to a function of a given declared length: rest
    // parameters would change that length.
    files: ['test-support/compat/**'],
    rules: { 'prefer-rest-params': 'off' },
  },
  {
    // Plain CommonJS scripts (the pack check's consumers, the example app's tools) use require.
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Scripts that run in the browser page driven by the browser tests.
    files: ['examples/express-app/test/browser*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
