/**
 * Build step 3 of 3: proves the built package is what n8n loads and what the community-node
 * rules allow. Fails the build when:
 * - package.json declares runtime dependencies;
 * - any file in dist requires a module other than a relative file, n8n-workflow or a Node builtin;
 * - a node or credential listed in the "n8n" block is missing, does not load, or lacks its icons.
 */
import { readdir, readFile, access } from 'node:fs/promises';
import { builtinModules, createRequire } from 'node:module';
import path from 'node:path';

const root = process.cwd();
const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));
const problems = [];

if (pkg.dependencies && Object.keys(pkg.dependencies).length > 0) {
	problems.push(`package.json has runtime dependencies: ${Object.keys(pkg.dependencies).join(', ')}`);
}

const allowed = (spec) =>
	spec.startsWith('./') || spec.startsWith('../') || spec === 'n8n-workflow' || spec.startsWith('node:') || builtinModules.includes(spec);

async function* jsFiles(dir) {
	for (const entry of await readdir(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) yield* jsFiles(full);
		else if (entry.name.endsWith('.js')) yield full;
	}
}

let files = 0;
for await (const file of jsFiles(path.join(root, 'dist'))) {
	files++;
	const text = await readFile(file, 'utf8');
	for (const [, spec] of text.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)) {
		if (!allowed(spec)) problems.push(`${path.relative(root, file)} requires "${spec}"`);
	}
	if (/^\s*(import|export)\s[^;]*from\s*["']/m.test(text)) problems.push(`${path.relative(root, file)} is not CommonJS`);
}

const requireFromPackage = createRequire(path.join(root, 'package.json'));
for (const entry of [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])]) {
	const file = path.join(root, entry);
	try {
		const exported = requireFromPackage(file);
		const className = path.basename(entry).split('.')[0];
		const Type = exported[className];
		if (typeof Type !== 'function') throw new Error(`does not export class ${className}`);
		const instance = new Type();
		const icon = instance.description?.icon ?? instance.icon;
		for (const ref of typeof icon === 'string' ? [icon] : Object.values(icon ?? {})) {
			await access(path.resolve(path.dirname(file), String(ref).replace(/^file:/, ''))).catch(() =>
				problems.push(`${entry}: icon ${ref} is missing`),
			);
		}
		if (!icon) problems.push(`${entry}: no icon`);
	} catch (error) {
		problems.push(`${entry}: ${error.message}`);
	}
}

if (problems.length > 0) {
	console.error(`dist check failed:\n- ${problems.join('\n- ')}`);
	process.exit(1);
}
console.log(`dist check: ${files} CommonJS files, no runtime dependency, ${pkg.n8n.nodes.length} nodes and ${pkg.n8n.credentials.length} credentials load with their icons`);
