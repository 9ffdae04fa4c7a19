import { fileURLToPath } from 'node:url';
import { includeIgnoreFile } from '@eslint/compat';
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

/** Folders of the Lambda functions' handlers, each bundled on its own. */
const HANDLER_FOLDERS = ['poll', 'start', 'sweep'];

export default tseslint.config(
  // Whatever git ignores (build output, the packages `npm run package` writes to dist-jsii/) is never linted.
  includeIgnoreFile(fileURLToPath(new URL('.gitignore', import.meta.url)), 'Files git ignores'),
  {
    ignores: ['test/**/*.snap', '**/*.d.ts', '**/*.js', 'eslint.config.mjs'],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    // One program from tsconfig.json, which includes every linted file: 29 s here, where projectService took 43 s.
    languageOptions: { parserOptions: { project: ['./tsconfig.json'], tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/explicit-module-boundary-types': 'off',
      eqeqeq: ['error', 'always'],
      'no-console': 'error',
    },
  },
  // Handlers in layers: what more than one function uses lives in lambda/shared/, and no function's folder imports another's.
  ...HANDLER_FOLDERS.map((folder) => ({
    files: [`lambda/${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: HANDLER_FOLDERS.filter((other) => other !== folder).map((other) => ({
            regex: `^(\\.\\./)+(lambda/)?${other}(/|$)`,
            message: `lambda/${folder} must not import from lambda/${other}: move what both use to lambda/shared/.`,
          })),
        },
      ],
    },
  })),
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  prettier,
);
