/**
 * Build step 2 of 3 (after `n8n-node build`): replaces dist/lib/shared.js, which tsc
 * compiled to `require("@leadtosheet/shared")`, with a self-contained CommonJS bundle of the
 * shared workspace package and its zod dependency. Every node file keeps requiring
 * "../../lib/shared" and so gets the one shared contract, with no runtime dependency.
 */
import { rm } from 'node:fs/promises';
import { build } from 'esbuild';

const outfile = 'dist/lib/shared.js';
// tsc's map and declarations for this file describe the re-export, not the bundle.
await rm(`${outfile}.map`, { force: true });
await rm('dist/lib/shared.d.ts', { force: true });
const result = await build({
	entryPoints: ['lib/shared.ts'],
	outfile,
	bundle: true,
	platform: 'node',
	format: 'cjs',
	target: 'node20',
	// n8n provides n8n-workflow; the shared package never needs it, but never bundle it.
	external: ['n8n-workflow'],
	legalComments: 'eof',
	banner: { js: '/* @leadtosheet/shared (and zod), bundled at build time: see README, "How the package is built". */' },
	metafile: true,
	logLevel: 'warning',
});
const inputs = Object.keys(result.metafile.inputs);
const packages = new Set(inputs.map((p) => p.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ?? (p.startsWith('../shared/') ? '@leadtosheet/shared' : 'n8n-nodes-leadtosheet')));
console.log(`bundled ${outfile}: ${inputs.length} modules from ${[...packages].sort().join(', ')}`);
