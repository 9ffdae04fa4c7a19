import * as fs from 'node:fs';
import * as path from 'node:path';
import * as lambda from 'aws-cdk-lib/aws-lambda';

/** The prebuilt Lambda handlers that ship with the library. */
export type PrebuiltHandler = 'poll' | 'start' | 'sweep';

/** Folder of a prebuilt handler bundle: `assets/lambda/<name>/index.mjs` beside `lib/`. */
export function prebuiltHandlerDir(name: PrebuiltHandler): string {
  return path.join(__dirname, '..', 'assets', 'lambda', name);
}

/**
 * Code of a prebuilt handler. Handlers are bundled when the library is built, so synthesis
 * needs neither esbuild nor Docker.
 */
export function prebuiltHandlerCode(name: PrebuiltHandler): lambda.Code {
  const dir = prebuiltHandlerDir(name);
  if (!fs.existsSync(path.join(dir, 'index.mjs'))) {
    throw new Error(
      `The prebuilt ${name} handler is missing at ${dir}. In a clone of the repository, run "npm run build:handlers" ` +
        '(npm start, npm test, npm run local and npm run bench run it first); an installed package ships it, so reinstall the package.',
    );
  }
  return lambda.Code.fromAsset(dir);
}
