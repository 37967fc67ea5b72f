#!/usr/bin/env node
/**
 * Pre-publish check of what would be published, run by `npm test` (test:all) after the
 * builds. Usage: node scripts/check-pack.mjs [n8n] [zapier]   (default: both)
 *
 * n8n:    `npm pack --dry-run --json` of n8n-node (n8n-nodes-leadtosheet, built first):
 *         the tarball holds the built nodes, credentials and icons under dist/, package.json
 *         and README.md (LICENSE / CHANGELOG if added), and nothing else: no TypeScript
 *         source, tests, configs, build info, secrets. Every path in the "n8n" block is in it.
 * zapier: `zapier-platform build --skip-validation` of zapier-app (offline but for the npm
 *         registry, which the CLI's temporary `npm install` of zapier-platform-core needs):
 *         build.zip holds only the bundle, definition.json, package.json, the entry wrapper
 *         and core's node_modules; source.zip (uploaded to Zapier with `push`) holds only
 *         files git tracks in zapier-app/.
 * Both:   package.json metadata present, not a placeholder, and coherent (one repository).
 *
 * Exits 1 with one line per problem.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const problems = [];
const fail = (where, message) => problems.push(`${where}: ${message}`);

// ---------------------------------------------------------------- metadata
const PLACEHOLDER =
	/\b(todo|tbd|fixme|placeholder|changeme|change[- ]me|lorem|xxx+|your[-_ ]?(name|org|email|user|company|repo|package)|john doe|jane doe|username|n8n-nodes-starter)\b|example\.(com|org|net)|\.(example|invalid|test|local)\b|localhost|127\.0\.0\.1|<[^>]*>|\{\{|\$\{/i;

function isPlaceholder(value) {
	return typeof value !== 'string' || value.trim() === '' || PLACEHOLDER.test(value);
}

function repoUrl(pkg) {
	const repo = typeof pkg.repository === 'string' ? { url: pkg.repository } : pkg.repository;
	return repo?.url;
}

/** "git+https://github.com/o/r.git" -> "github.com/o/r" */
function repoSlug(url) {
	const m = /^(?:git\+)?https:\/\/([^/]+\/[^/]+\/[^/]+?)(?:\.git)?\/?$/.exec(url ?? '');
	return m?.[1].toLowerCase();
}

function checkMetadata(where, pkg, dir) {
	for (const field of ['name', 'version', 'description', 'license', 'homepage']) {
		if (isPlaceholder(pkg[field])) fail(where, `package.json "${field}" is missing or a placeholder (${JSON.stringify(pkg[field])})`);
	}
	if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(pkg.version ?? '')) fail(where, `"version" ${JSON.stringify(pkg.version)} is not semver`);
	if (!pkg.private && pkg.license === 'UNLICENSED') fail(where, `"license" is UNLICENSED, which forbids others to use the published package`);
	else if (!/^\(?[A-Za-z0-9.+-]+( (OR|AND) [A-Za-z0-9.+-]+)*\)?$/.test(pkg.license ?? '')) fail(where, `"license" ${JSON.stringify(pkg.license)} is not an SPDX expression`);
	const author = typeof pkg.author === 'string' ? { name: pkg.author } : pkg.author;
	if (!author || isPlaceholder(author.name)) fail(where, `package.json "author.name" is missing or a placeholder (${JSON.stringify(author?.name)})`);
	if (author && !author.email && !author.url) fail(where, `package.json "author" needs an email or a url`);
	if (author?.email !== undefined && (isPlaceholder(author.email) || !/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i.test(author.email)))
		fail(where, `package.json "author.email" is a placeholder or not an address (${JSON.stringify(author.email)})`);
	if (author?.url !== undefined && (isPlaceholder(author.url) || !/^https:\/\//.test(author.url)))
		fail(where, `package.json "author.url" is a placeholder or not https (${JSON.stringify(author.url)})`);
	if (pkg.homepage && !/^https:\/\//.test(pkg.homepage)) fail(where, `package.json "homepage" is not an https URL (${JSON.stringify(pkg.homepage)})`);

	const url = repoUrl(pkg);
	const slug = repoSlug(url);
	if (!url || isPlaceholder(url)) fail(where, `package.json "repository.url" is missing or a placeholder (${JSON.stringify(url)})`);
	else if (!slug) fail(where, `package.json "repository.url" is not an https git URL like git+https://github.com/owner/repo.git (${url})`);
	if (typeof pkg.repository === 'object' && pkg.repository.directory !== dir)
		fail(where, `package.json "repository.directory" should be "${dir}" (the package's folder in the repository), is ${JSON.stringify(pkg.repository.directory)}`);
	const bugs = typeof pkg.bugs === 'string' ? pkg.bugs : pkg.bugs?.url;
	if (bugs !== undefined && (isPlaceholder(bugs) || !/^https:\/\//.test(bugs))) fail(where, `package.json "bugs" is a placeholder or not https (${bugs})`);
	// homepage / bugs on a code host must be the package's own repository
	for (const [field, value] of [['homepage', pkg.homepage], ['bugs', bugs]]) {
		const host = /^https:\/\/(github\.com|gitlab\.com|bitbucket\.org)\/([^/]+\/[^/#?]+)/.exec(value ?? '');
		if (host && slug && `${host[1]}/${host[2]}`.toLowerCase() !== slug)
			fail(where, `"${field}" (${value}) points at another repository than "repository.url" (${url})`);
	}
	return slug;
}

// ---------------------------------------------------------------- secrets
const SECRET = [
	[/\blts_[A-Za-z0-9_-]{24,}/, 'a LeadToSheet API key'],
	[/\bltb_[A-Za-z0-9_-]{24,}/, 'a bridge admin key'],
	[/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
	[/\bnpm_[A-Za-z0-9]{36}\b/, 'an npm token'],
	[/\bgh[pousr]_[A-Za-z0-9]{36,}\b/, 'a GitHub token'],
];
const SECRET_FILE = /(^|\/)(\.env(\..*)?|\.npmrc|\.netrc|.*\.(pem|key|p12|pfx)|id_(rsa|ed25519|ecdsa)|credentials\.json|\.zapierapprc\.local)$/i;

function scanForSecrets(where, file, text) {
	for (const [re, what] of SECRET) if (re.test(text)) fail(where, `${file} contains what looks like ${what}`);
}

// ---------------------------------------------------------------- n8n-nodes-leadtosheet
function checkN8n() {
	const dir = 'n8n-node';
	const cwd = path.join(root, dir);
	const pkg = JSON.parse(readFileSync(path.join(cwd, 'package.json'), 'utf8'));
	const where = pkg.name;
	if (!existsSync(path.join(cwd, 'dist'))) {
		fail(where, 'n8n-node/dist is missing: build first (npm run build -w n8n-node)');
		return;
	}
	let report;
	try {
		const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
		report = JSON.parse(out)[0];
	} catch (error) {
		fail(where, `npm pack --dry-run --json failed: ${error.stderr || error.message}`);
		return;
	}
	const files = report.files.map((f) => f.path);
	const has = new Set(files);

	const slug = checkMetadata(where, pkg, dir);
	if (!/^(@[a-z0-9-]+\/)?n8n-nodes-/.test(pkg.name)) fail(where, `"name" must start with n8n-nodes- (or @scope/n8n-nodes-) to be a community node`);
	if (!pkg.keywords?.includes('n8n-community-node-package')) fail(where, `"keywords" lacks n8n-community-node-package (n8n's community node search needs it)`);
	if (pkg.private) fail(where, `"private": true would stop npm publish`);
	if (pkg.dependencies && Object.keys(pkg.dependencies).length) fail(where, `runtime "dependencies" are not allowed in a community node: ${Object.keys(pkg.dependencies).join(', ')}`);
	if (!pkg.peerDependencies?.['n8n-workflow']) fail(where, `"peerDependencies" lacks n8n-workflow`);
	if (pkg.n8n?.n8nNodesApiVersion !== 1) fail(where, `"n8n.n8nNodesApiVersion" should be 1, is ${JSON.stringify(pkg.n8n?.n8nNodesApiVersion)}`);
	const entries = [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])];
	if (!pkg.n8n?.nodes?.length) fail(where, `"n8n.nodes" is empty`);
	if (!pkg.n8n?.credentials?.length) fail(where, `"n8n.credentials" is empty`);
	for (const entry of entries) {
		const rel = path.posix.normalize(entry.replace(/^\.\//, ''));
		if (!has.has(rel)) fail(where, `"n8n" lists ${entry}, which is not in the tarball`);
		if (!/^dist\/.*\.js$/.test(rel)) fail(where, `"n8n" entry ${entry} is not a built .js file under dist/`);
	}

	// what must be in it
	for (const required of ['package.json', 'README.md']) if (!has.has(required)) fail(where, `${required} is not in the tarball`);
	if (!files.some((f) => /^dist\/icons\/.+\.(svg|png)$/.test(f))) fail(where, 'no icon under dist/icons in the tarball');
	if (!has.has('dist/lib/shared.js')) fail(where, 'dist/lib/shared.js (the bundled shared code) is not in the tarball');

	// what may be in it: dist build output, the package's own docs; nothing else
	const TOP = /^(package\.json|README\.md|LICENSE(\.md|\.txt)?|CHANGELOG\.md)$/;
	const DIST = /^dist\/.+\.(js|js\.map|d\.ts|json|svg|png)$/;
	const NEVER = [
		[/(^|\/)(test|tests|__tests__|__mocks__|fixtures)\//, 'a test file'],
		[/\.(test|spec)\.[cm]?[jt]s(\.map)?$/, 'a test file'],
		[/(^|\/)tsconfig[^/]*\.json$|\.tsbuildinfo$/, 'TypeScript build configuration'],
		[/(^|\/)(jest|eslint|vitest)\.config\.[a-z]+$|(^|\/)\.eslintrc/, 'tool configuration'],
		[/(^|\/)node_modules\//, 'node_modules'],
		[/(^|\/)scripts\//, 'a build script'],
	];
	for (const file of files) {
		const why =
			NEVER.find(([re]) => re.test(file))?.[1] ??
			(SECRET_FILE.test(file) ? 'a secrets file'
			: /\.[cm]?ts$/.test(file) && !/\.d\.[cm]?ts$/.test(file) ? 'TypeScript source'
			: !TOP.test(file) && !DIST.test(file) ? 'only dist/ output, package.json, README and LICENSE belong in it'
			: undefined);
		if (why) fail(where, `${file} is in the tarball (${why})`);
		else if (existsSync(path.join(cwd, file)) && !/\.(svg|png)$/.test(file)) scanForSecrets(where, file, readFileSync(path.join(cwd, file), 'utf8'));
	}
	if (problems.length === 0)
		console.log(`check-pack: ${report.filename}: ${files.length} files, ${(report.size / 1024).toFixed(0)} kB packed; ${pkg.n8n.nodes.length} nodes and ${pkg.n8n.credentials.length} credentials in it; metadata ok (${slug})`);
	return slug;
}

// ---------------------------------------------------------------- zapier app
/** Entry names and contents of a zip file, read from its central directory (stored or deflated entries). */
function readZip(file) {
	const buf = readFileSync(file);
	let eocd = buf.length - 22;
	while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
	if (eocd < 0) throw new Error(`${file} is not a zip file`);
	const count = buf.readUInt16LE(eocd + 10);
	let p = buf.readUInt32LE(eocd + 16);
	const entries = new Map();
	for (let i = 0; i < count; i++) {
		if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`${file}: bad central directory`);
		const method = buf.readUInt16LE(p + 10);
		const size = buf.readUInt32LE(p + 20);
		const nameLen = buf.readUInt16LE(p + 28);
		const extraLen = buf.readUInt16LE(p + 30);
		const commentLen = buf.readUInt16LE(p + 32);
		const local = buf.readUInt32LE(p + 42);
		const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
		p += 46 + nameLen + extraLen + commentLen;
		if (name.endsWith('/')) continue;
		entries.set(name, () => {
			const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
			const data = buf.subarray(start, start + size);
			return (method === 8 ? inflateRawSync(data) : data).toString('utf8');
		});
	}
	return entries;
}

function checkZapier(n8nSlug) {
	const dir = 'zapier-app';
	const cwd = path.join(root, dir);
	const pkg = JSON.parse(readFileSync(path.join(cwd, 'package.json'), 'utf8'));
	const where = pkg.name;
	const slug = checkMetadata(where, pkg, dir);
	if (n8nSlug && slug && n8nSlug !== slug) fail(where, `"repository.url" (${slug}) differs from n8n-nodes-leadtosheet's (${n8nSlug}): both live in this repository`);
	const coreVersion = pkg.dependencies?.['zapier-platform-core'];
	const deps = Object.keys(pkg.dependencies ?? {});
	if (deps.length !== 1 || !/^\d+\.\d+\.\d+$/.test(coreVersion ?? ''))
		fail(where, `"dependencies" should be exactly zapier-platform-core at an exact version (the CLI requires it; the rest is bundled), are ${JSON.stringify(pkg.dependencies)}`);

	const buildDir = path.join(cwd, 'build');
	rmSync(buildDir, { recursive: true, force: true });
	try {
		execFileSync('npx', ['--no-install', 'zapier-platform', 'build', '--skip-validation'], {
			cwd,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'pipe'],
			env: { ...process.env, DISABLE_ZAPIER_ANALYTICS: '1' },
		});
	} catch (error) {
		fail(where, `zapier-platform build --skip-validation failed (it needs the npm registry for its temporary install): ${(error.stderr || error.stdout || error.message).trim().split('\n').slice(-6).join(' | ')}`);
		return;
	}

	// build.zip: what Zapier runs
	const build = readZip(path.join(buildDir, 'build.zip'));
	const names = [...build.keys()];
	const top = names.filter((n) => !n.startsWith('node_modules/')).sort();
	const wantTop = ['bundle/index.js', 'definition.json', 'package.json', 'zapierwrapper.js'];
	for (const w of wantTop) if (!top.includes(w)) fail(where, `build.zip lacks ${w}`);
	for (const t of top) if (!wantTop.includes(t)) fail(where, `build.zip holds ${t}; it should hold only ${wantTop.join(', ')} and node_modules`);
	if (!build.has('node_modules/zapier-platform-core/package.json')) fail(where, 'build.zip lacks node_modules/zapier-platform-core');
	for (const n of names) {
		if (n.startsWith('node_modules/@leadtosheet/')) fail(where, `build.zip holds ${n}: the shared package must be bundled, not installed`);
		if (SECRET_FILE.test(n)) fail(where, `build.zip holds ${n} (a secrets file)`);
	}
	if (build.has('bundle/index.js')) {
		const bundle = build.get('bundle/index.js')();
		scanForSecrets(where, 'build.zip:bundle/index.js', bundle);
		for (const [, spec] of bundle.matchAll(/^import\s[^'"]*?from\s*["']([^"']+)["']/gm)) {
			if (!spec.startsWith('node:') && spec !== 'zapier-platform-core' && !spec.startsWith('zapier-platform-core/'))
				fail(where, `bundle/index.js imports "${spec}", which build.zip does not provide`);
		}
	}
	if (build.has('package.json')) {
		const built = JSON.parse(build.get('package.json')());
		if (built.version !== pkg.version) fail(where, `build.zip package.json version ${built.version} differs from ${pkg.version}`);
	}
	if (build.has('definition.json')) {
		const def = JSON.parse(build.get('definition.json')());
		if (def.version !== pkg.version) fail(where, `definition.json version ${def.version} differs from package.json ${pkg.version}`);
		if (def.platformVersion !== coreVersion) fail(where, `definition.json platformVersion ${def.platformVersion} differs from zapier-platform-core ${coreVersion}`);
		if (!def.authentication) fail(where, 'definition.json has no authentication');
		for (const kind of ['triggers', 'creates', 'searches']) if (!Object.keys(def[kind] ?? {}).length) fail(where, `definition.json has no ${kind}`);
		scanForSecrets(where, 'build.zip:definition.json', JSON.stringify(def));
	}

	// source.zip: uploaded to Zapier by push; only what git tracks in zapier-app
	const source = [...readZip(path.join(buildDir, 'source.zip')).keys()];
	let tracked;
	try {
		tracked = new Set(
			execFileSync('git', ['ls-files', '-z', '--', dir], { cwd: root, encoding: 'utf8' })
				.split('\0')
				.filter(Boolean)
				.map((f) => f.slice(dir.length + 1)),
		);
	} catch {
		tracked = undefined; // not a git checkout: only the patterns below
	}
	const ALSO = new Set(['package-lock.json']); // the CLI adds the install's lock
	for (const n of source) {
		if (SECRET_FILE.test(n)) fail(where, `source.zip holds ${n} (a secrets file)`);
		else if (tracked && !tracked.has(n) && !ALSO.has(n)) fail(where, `source.zip holds ${n}, which git does not track (it would be uploaded to Zapier): delete it or ignore it in zapier-app/.gitignore`);
	}
	if (problems.length === 0)
		console.log(`check-pack: ${where}: build.zip ${names.length} files (${wantTop.join(', ')} + zapier-platform-core ${coreVersion}), source.zip ${source.length} tracked files; metadata ok (${slug})`);
}

// ---------------------------------------------------------------- main
const wanted = process.argv.slice(2);
const which = wanted.length ? wanted : ['n8n', 'zapier'];
for (const w of which) if (!['n8n', 'zapier'].includes(w)) {
	console.error(`check-pack: unknown target "${w}" (n8n, zapier)`);
	process.exit(2);
}
let slug;
if (which.includes('n8n')) slug = checkN8n();
if (which.includes('zapier')) {
	if (!slug) slug = repoSlug(repoUrl(JSON.parse(readFileSync(path.join(root, 'n8n-node/package.json'), 'utf8'))));
	checkZapier(slug);
}
if (problems.length) {
	console.error(`check-pack: FAILED, ${problems.length} problem(s) in what would be published:\n- ${problems.join('\n- ')}`);
	process.exit(1);
}
