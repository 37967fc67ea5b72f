/**
 * Builds the dashboard into bridge/dashboard-dist: one bundled, minified script (Preact and
 * the app, no inline script, so the page's Content-Security-Policy can forbid it), the
 * stylesheet and the page. The bridge serves that folder as it is; no build server runs.
 */
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const out = here('../dashboard-dist/');

await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
await build({
  entryPoints: [here('src/main.tsx')],
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['chrome120', 'firefox120', 'safari17'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  outfile: `${out}app.js`,
  legalComments: 'none',
  logLevel: 'warning',
});
await copyFile(here('src/index.html'), `${out}index.html`);
await copyFile(here('src/styles.css'), `${out}styles.css`);
