/**
 * Bundles the app for `zapier push`: src/index.ts with @leadtosheet/shared and zod inlined
 * into bundle/index.js, so the pushed code needs nothing from this monorepo.
 * zapier-platform-core stays external: Zapier's build installs it from package.json.
 * Run by the `_zapier-build` script, which zapier-platform runs before validate/build/push.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const appDir = fileURLToPath(new URL('..', import.meta.url));

const result = await build({
  absWorkingDir: appDir,
  entryPoints: ['src/index.ts'],
  outfile: 'bundle/index.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  external: ['zapier-platform-core'],
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
});

const inputs = Object.keys(result.metafile.inputs);
const fromShared = inputs.filter((p) => p.includes('shared/')).length;
console.log(`bundle/index.js: ${inputs.length} modules (${fromShared} from @leadtosheet/shared), zapier-platform-core external`);
