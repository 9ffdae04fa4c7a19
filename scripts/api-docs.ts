/**
 * API.md, the API reference of the construct library: what jsii-docgen makes of the jsii assembly
 * that `npm run build` writes, formatted with the project's Prettier settings.
 *
 *   npm run docgen                       # rewrite API.md after a change of the API
 *   tsx scripts/api-docs.ts --print      # print it instead (the test suite compares it with API.md)
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Documentation, Language } from 'jsii-docgen';
import * as prettier from 'prettier';

const ROOT = path.join(__dirname, '..');

/** The committed API reference. */
export const API_REFERENCE = path.join(ROOT, 'API.md');

/** The API reference of the assembly in the repository's root (`.jsii`), in TypeScript, as API.md holds it. */
export async function apiReference(): Promise<string> {
  const documentation = await Documentation.forProject(ROOT);
  const markdown = await documentation.toMarkdown({ language: Language.TYPESCRIPT, readme: false });
  const options = await prettier.resolveConfig(API_REFERENCE);
  return prettier.format(markdown.render(), { ...options, filepath: API_REFERENCE });
}

async function main(): Promise<void> {
  const reference = await apiReference();
  if (process.argv.includes('--print')) process.stdout.write(reference);
  else writeFileSync(API_REFERENCE, reference);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.exitCode = 1;
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  });
}
