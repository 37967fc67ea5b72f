/**
 * The one place this package imports the shared LeadToSheet contract from.
 *
 * Source: a re-export of the `@leadtosheet/shared` workspace package (a devDependency).
 * Build: `n8n-node build` compiles this file like any other, then scripts/bundle-shared.mjs
 * overwrites dist/lib/shared.js with an esbuild bundle of the shared package (and zod), so
 * the published package has no runtime dependency and no second copy of the contract.
 */
export * from '@leadtosheet/shared';
