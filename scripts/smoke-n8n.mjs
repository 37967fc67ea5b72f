#!/usr/bin/env node
/**
 * Smoke test of n8n-nodes-leadtosheet in a REAL n8n 2.x (`npm run smoke:n8n`; not part of CI:
 * it installs n8n, ~2,400 packages, and takes minutes).
 *
 * 1. installs n8n into a temporary folder (npm install --prefix, install scripts off, then
 *    only sqlite3's own install script, which builds its binding from source when its
 *    prebuilt download is out of reach);
 * 2. builds and packs the n8n package (npm pack) and unpacks the tarball into a folder that
 *    n8n loads through N8N_CUSTOM_EXTENSIONS: the node types become CUSTOM.leadToSheet...;
 * 3. starts the local sandbox (sandbox/dist/cli.js serve --seed demo) on a free port;
 * 4. `n8n import:credentials` a LeadToSheet API credential (the sandbox's full key) and
 *    `n8n import:workflow` a workflow running every operation of the LeadToSheet node in a
 *    chain, each node set to continue on error and to run once;
 * 5. `n8n export:nodes` must list every node type of the package's "n8n" block; then
 *    `n8n execute --id` runs the workflow; each check is reported ok / FAILED in one line.
 * Exits 1 when any operation failed or a step could not run.
 *
 * Everything n8n writes goes to N8N_USER_FOLDER inside the temporary folder, deleted at the
 * end (kept with N8N_SMOKE_KEEP=1). Settings (environment):
 *   N8N_VERSION        n8n version or range to install (default 2.41.1; "2" = newest 2.x)
 *   N8N_SMOKE_N8N_DIR  reuse an n8n installed there by an earlier run (installs if missing)
 *   N8N_SMOKE_KEEP=1   keep the temporary folder (n8n's database and log) for a look
 *   N8N_SMOKE_TIMEOUT  seconds for each n8n command (default 300)
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const N8N_VERSION = process.env.N8N_VERSION || '2.41.1';
const TIMEOUT_MS = Number(process.env.N8N_SMOKE_TIMEOUT || 300) * 1000;
const KEEP = process.env.N8N_SMOKE_KEEP === '1';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lts-n8n-smoke-'));
const n8nDir = process.env.N8N_SMOKE_N8N_DIR ? path.resolve(process.env.N8N_SMOKE_N8N_DIR) : path.join(tmp, 'n8n');
const userFolder = path.join(tmp, 'home');
const extDir = path.join(tmp, 'ext');
const logFile = path.join(tmp, 'n8n.log');
let sandbox;

const say = (text) => console.log(`smoke:n8n: ${text}`);
class StepError extends Error {}

function run(cmd, args, { cwd = root, env = process.env, timeout = TIMEOUT_MS, what } = {}) {
	const result = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout, maxBuffer: 256 * 1024 * 1024 });
	if (result.error?.code === 'ETIMEDOUT') throw new StepError(`${what}: timed out after ${timeout / 1000} s`);
	if (result.error) throw new StepError(`${what}: ${result.error.message}`);
	if (result.status !== 0) {
		const tail = `${result.stderr}\n${result.stdout}`.trim().split('\n').filter(Boolean).slice(-12).join('\n    ');
		throw new StepError(`${what}: exit code ${result.status}\n    ${tail}`);
	}
	return result.stdout;
}

function cleanup() {
	if (sandbox && sandbox.exitCode === null) sandbox.kill('SIGTERM');
	if (KEEP) say(`kept ${tmp} (N8N_SMOKE_KEEP=1): n8n's data in home/, its log in n8n.log`);
	else rmSync(tmp, { recursive: true, force: true });
}
process.on('SIGINT', () => {
	cleanup();
	process.exit(130);
});

// ---------------------------------------------------------------- 1. n8n
function installN8n() {
	const bin = path.join(n8nDir, 'node_modules', 'n8n', 'bin', 'n8n');
	const binding = path.join(n8nDir, 'node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node');
	if (existsSync(bin) && existsSync(binding)) {
		say(`using n8n ${JSON.parse(readFileSync(path.join(n8nDir, 'node_modules/n8n/package.json'), 'utf8')).version} from ${n8nDir}`);
		return bin;
	}
	mkdirSync(n8nDir, { recursive: true });
	// A package.json of its own, so npm installs here and not into this repository's workspace.
	writeFileSync(path.join(n8nDir, 'package.json'), JSON.stringify({ name: 'lts-n8n-smoke', private: true }, null, 2));
	const started = Date.now();
	say(`installing n8n@${N8N_VERSION} into ${n8nDir} (a few minutes)`);
	try {
		// --ignore-scripts: n8n's tree has a dozen install scripts; several download sources or
		// binaries from outside the npm registry (e.g. @confluentinc/kafka-javascript fetches
		// zlib and OpenSSL) and fail without internet. n8n needs only sqlite3's, run below.
		run('npm', ['install', '--prefix', n8nDir, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', `n8n@${N8N_VERSION}`], {
			what: `npm install n8n@${N8N_VERSION}`,
			timeout: Math.max(TIMEOUT_MS, 900_000),
		});
	} catch (error) {
		const hint = /ETARGET|notarget/.test(error.message)
			? `\n    the registry lacks a package this n8n version needs; pick a version whose dependencies it serves, e.g. N8N_VERSION=2.41.1`
			: '';
		throw new StepError(error.message + hint);
	}
	say(`building sqlite3's binding (npm rebuild sqlite3: its prebuilt download, else node-gyp from source)`);
	run('npm', ['rebuild', 'sqlite3', '--prefix', n8nDir, '--loglevel=error'], { what: 'npm rebuild sqlite3', timeout: Math.max(TIMEOUT_MS, 600_000) });
	if (!existsSync(binding)) throw new StepError(`sqlite3's binding ${binding} is missing after npm rebuild sqlite3 (needs python3, make, g++ and Node's headers: npm_config_nodedir)`);
	const version = JSON.parse(readFileSync(path.join(n8nDir, 'node_modules/n8n/package.json'), 'utf8')).version;
	if (!version.startsWith('2.')) throw new StepError(`installed n8n ${version}, not 2.x`);
	say(`n8n ${version} installed in ${Math.round((Date.now() - started) / 1000)} s`);
	return bin;
}

// ---------------------------------------------------------------- 2. the package
function packNode() {
	say('building (tsc -b, n8n-node build) and packing n8n-nodes-leadtosheet');
	run('npm', ['run', '-s', 'build'], { what: 'tsc -b' });
	run('npm', ['run', '-s', 'build', '-w', 'n8n-node'], { what: 'npm run build -w n8n-node' });
	const out = run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', tmp], { cwd: path.join(root, 'n8n-node'), what: 'npm pack' });
	const { filename, name } = JSON.parse(out)[0];
	mkdirSync(extDir);
	run('tar', ['-xzf', path.join(tmp, filename), '-C', extDir], { what: 'tar -xzf' });
	renameSync(path.join(extDir, 'package'), path.join(extDir, name));
	return { filename, name };
}

// ---------------------------------------------------------------- 3. the sandbox
async function startSandbox() {
	const seedFile = path.join(tmp, 'seed.json');
	const cli = path.join(root, 'sandbox', 'dist', 'cli.js');
	sandbox = spawn(process.execPath, [cli, 'serve', '--port', '0', '--seed', 'demo', '--seed-out', seedFile, '--rate-limit', '0'], {
		stdio: ['ignore', 'ignore', 'pipe'],
	});
	let stderr = '';
	sandbox.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
	const deadline = Date.now() + 20_000;
	while (!existsSync(seedFile)) {
		if (sandbox.exitCode !== null) throw new StepError(`the sandbox exited (${sandbox.exitCode}): ${stderr.trim()}`);
		if (Date.now() > deadline) throw new StepError(`the sandbox wrote no ${seedFile} within 20 s: ${stderr.trim()}`);
		await new Promise((r) => setTimeout(r, 100));
	}
	const seed = JSON.parse(readFileSync(seedFile, 'utf8'));
	say(`sandbox at ${seed.baseUrl} (demo site "${seed.site.name}", ${seed.forms.length} forms)`);
	return seed;
}

// ---------------------------------------------------------------- 4. credential and workflow
const CREDENTIAL = { id: 'ltsSmokeCredential', name: 'LeadToSheet smoke (sandbox)' };
const WORKFLOW_ID = 'ltsSmokeWorkflow01';
const EMAIL = `smoke-${Date.now()}@acme-smoke.example`;
const RENAMED = 'Contact (smoke)';
const show = (value) => (JSON.stringify(value) ?? String(value)).slice(0, 200);

/** What an operation's check returns: passed or not, and a one-line account. */
const verdict = (ok, good, bad) => (ok ? { ok: true, text: good() } : { ok: false, text: bad() });

/** Every operation of the LeadToSheet node, in an order where each finds what it needs. */
const OPERATIONS = [
	{
		name: 'Site: Get',
		parameters: { resource: 'site', operation: 'get' },
		check: ([site], seed) => verdict(site?.id === seed.site.id, () => `site ${site.id} "${site.name}"`, () => `expected site ${seed.site.id}, got ${show(site)}`),
	},
	{
		name: 'Submission: Create',
		parameters: {
			resource: 'submission',
			operation: 'create',
			fieldsInput: 'defineBelow',
			fields: { field: [{ name: 'Email', value: EMAIL }, { name: 'Full name', value: 'Smoke Test' }] },
			metadata: { page_url: 'https://acme-smoke.example/contact', utm_campaign: 'smoke' },
			options: { formName: 'Contact' },
		},
		check: ([lead]) =>
			verdict(
				lead?.id && lead.fields?.Email === EMAIL && lead.form_name === 'Contact' && lead.metadata?.utm_campaign === 'smoke',
				() => `lead ${lead.id} in form "${lead.form_name}" (${lead.form_id}), with metadata`,
				() => `expected a lead in "Contact" with the fields and metadata sent, got ${show(lead)}`,
			),
	},
	{
		name: 'Submission: Create (JSON, form by id)',
		needs: 'Submission: Create',
		parameters: {
			resource: 'submission',
			operation: 'create',
			form: { __rl: true, mode: 'id', value: "={{ $('Submission: Create').first().json.form_id }}" },
			fieldsInput: 'json',
			fieldsJson: JSON.stringify({ Email: `json-${EMAIL}`, Score: 8, Topics: ['pricing', 'demo'] }),
		},
		check: ([lead], _seed, out) =>
			verdict(
				lead?.id && lead.form_id === out('Submission: Create')?.[0]?.form_id && lead.fields?.Score === 8 && Array.isArray(lead.fields?.Topics),
				() => `lead ${lead.id} in the chosen form, JSON fields kept their types`,
				() => `expected a lead in the first lead's form with Score 8 and a Topics list, got ${show(lead)}`,
			),
	},
	{
		name: 'Submission: Get',
		needs: 'Submission: Create',
		parameters: { resource: 'submission', operation: 'get', submissionId: "={{ $('Submission: Create').first().json.id }}" },
		check: ([lead], _seed, out) =>
			verdict(lead?.id && lead.id === out('Submission: Create')?.[0]?.id, () => `read lead ${lead.id} back (${lead.fields?.Email})`, () => `expected the created lead, got ${show(lead)}`),
	},
	{
		name: 'Submission: Get Many',
		needs: 'Submission: Create',
		parameters: {
			resource: 'submission',
			operation: 'getAll',
			form: { __rl: true, mode: 'id', value: "={{ $('Submission: Create').first().json.form_id }}" },
			returnAll: false,
			limit: 10,
			filters: { q: EMAIL },
		},
		check: (leads, _seed, out) => {
			const id = out('Submission: Create')?.[0]?.id;
			return verdict(
				id && leads.some((l) => l.id === id),
				() => `${leads.length} lead(s) of the form matching the search, the created one among them`,
				() => `the created lead ${id} is not among ${show(leads.map((l) => l.id))}`,
			);
		},
	},
	{
		name: 'Form: Get Many',
		parameters: { resource: 'form', operation: 'getAll', returnAll: true },
		check: (forms, seed) =>
			verdict(
				forms.length >= seed.forms.length && forms.every((f) => f.id && f.name),
				() => `${forms.length} forms (${forms.map((f) => f.name).join(', ')})`,
				() => `expected at least the ${seed.forms.length} demo forms, got ${show(forms)}`,
			),
	},
	{
		name: 'Form: Get',
		needs: 'Submission: Create',
		parameters: { resource: 'form', operation: 'get', form: { __rl: true, mode: 'id', value: "={{ $('Submission: Create').first().json.form_id }}" } },
		check: ([form]) => verdict(form?.name === 'Contact', () => `form ${form.id} "${form.name}", ${form.submission_count} submissions`, () => `expected the form "Contact", got ${show(form)}`),
	},
	{
		name: 'Form: Update',
		needs: 'Submission: Create',
		parameters: {
			resource: 'form',
			operation: 'update',
			form: { __rl: true, mode: 'id', value: "={{ $('Submission: Create').first().json.form_id }}" },
			updateFields: { name: RENAMED, sheetTab: 'Smoke' },
		},
		check: ([form]) =>
			verdict(form?.name === RENAMED && form.sheet_tab === 'Smoke', () => `form ${form.id} renamed "${form.name}", sheet tab "${form.sheet_tab}"`, () => `expected name "${RENAMED}" and sheet tab "Smoke", got ${show(form)}`),
	},
];

function workflowJson(nodeType) {
	const trigger = { id: 'a0000000-0000-4000-8000-000000000000', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
	const nodes = [trigger];
	const connections = {};
	let previous = trigger.name;
	OPERATIONS.forEach((op, i) => {
		nodes.push({
			id: `a0000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
			name: op.name,
			type: nodeType,
			typeVersion: 1,
			position: [(i + 1) * 220, 0],
			parameters: op.parameters,
			credentials: { leadToSheetApi: CREDENTIAL },
			executeOnce: true,
			alwaysOutputData: true,
			onError: 'continueRegularOutput',
		});
		connections[previous] = { main: [[{ node: op.name, type: 'main', index: 0 }]] };
		previous = op.name;
	});
	return [{ id: WORKFLOW_ID, name: 'LeadToSheet smoke: every operation', active: false, nodes, connections, settings: { executionOrder: 'v1' } }];
}

// ---------------------------------------------------------------- 5. run and report
function n8nEnv() {
	return {
		...process.env,
		N8N_USER_FOLDER: userFolder,
		N8N_CUSTOM_EXTENSIONS: extDir,
		N8N_LOG_OUTPUT: 'file',
		N8N_LOG_FILE_LOCATION: logFile,
		N8N_LOG_LEVEL: 'info',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_RUNNERS_BROKER_PORT: String(20000 + Math.floor(Math.random() * 20000)),
		DB_TYPE: 'sqlite',
		// no community-package installs, no calls to n8n's servers for them
		N8N_COMMUNITY_PACKAGES_ENABLED: 'false',
	};
}


/** Every node type of the package's "n8n" block, as n8n lists its known types (`n8n export:nodes`). */
function checkLoaded(n8n) {
	const pkgFile = path.join(root, 'n8n-node', 'package.json');
	const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
	const requireBuilt = createRequire(pkgFile);
	const want = pkg.n8n.nodes.map((entry) => {
		const className = path.basename(entry).split('.')[0];
		return `CUSTOM.${new (requireBuilt(path.join(root, 'n8n-node', entry))[className])().description.name}`;
	});
	const file = path.join(tmp, 'node-types.json');
	n8n(['export:nodes', `--output=${file}`], 'n8n export:nodes');
	const known = new Set(JSON.parse(readFileSync(file, 'utf8')).map((t) => t.name));
	const missing = want.filter((name) => !known.has(name));
	return verdict(
		missing.length === 0,
		() => `${want.join(', ')} among n8n's ${known.size} node types`,
		() => `n8n does not know ${missing.join(', ')} (custom types it knows: ${[...known].filter((n) => n.startsWith('CUSTOM.')).join(', ') || 'none'}); see N8N_SMOKE_KEEP=1 and n8n.log`,
	);
}

/**
 * The IRun that `n8n execute --rawOutput` prints. n8n prints it through its logger, so with
 * N8N_LOG_OUTPUT=file it is the message of the last JSON line of the log file that holds an
 * execution (stdout is tried first, for versions that print it there).
 */
function executionResult(stdout) {
	const isRun = (value) => value && typeof value === 'object' && value.data?.resultData;
	const start = stdout.search(/^\{/m);
	if (start >= 0) {
		try {
			const value = JSON.parse(stdout.slice(start));
			if (isRun(value)) return value;
		} catch {
			// not (only) JSON: look in the log
		}
	}
	if (!existsSync(logFile)) return undefined;
	const lines = readFileSync(logFile, 'utf8').split('\n').reverse();
	for (const line of lines) {
		if (!line.includes('resultData')) continue;
		try {
			const value = JSON.parse(JSON.parse(line).message);
			if (isRun(value)) return value;
		} catch {
			// another line
		}
	}
	return undefined;
}

function lastLogLines(n = 8) {
	if (!existsSync(logFile)) return '(no n8n log)';
	return readFileSync(logFile, 'utf8')
		.trim()
		.split('\n')
		.slice(-n)
		.map((line) => {
			try {
				const entry = JSON.parse(line);
				return `${entry.level}: ${String(entry.message).slice(0, 300)}`;
			} catch {
				return line.slice(0, 300);
			}
		})
		.join('\n    ');
}

function reasonOf(run) {
	if (!run) return 'did not run (an earlier node stopped the workflow)';
	if (run.error) return `${run.error.message}${run.error.description ? `: ${run.error.description}` : ''}`;
	const items = run.data?.main?.[0] ?? [];
	const failed = items.find((i) => i.json?.error);
	if (failed) return `${failed.json.error}${failed.json.description ? `: ${failed.json.description}` : ''}`;
	return undefined;
}

async function main() {
	const started = Date.now();
	const bin = installN8n();
	const n8n = (args, what) => run(process.execPath, [bin, ...args], { cwd: tmp, env: n8nEnv(), what });
	const { filename } = packNode();
	const seed = await startSandbox();

	const credFile = path.join(tmp, 'credentials.json');
	writeFileSync(credFile, JSON.stringify([{ ...CREDENTIAL, type: 'leadToSheetApi', data: { apiKey: seed.keys.full, baseUrl: seed.baseUrl } }], null, 2));
	const nodeType = 'CUSTOM.leadToSheet';
	const wfFile = path.join(tmp, 'workflow.json');
	writeFileSync(wfFile, JSON.stringify(workflowJson(nodeType), null, 2));

	say(`n8n import:credentials, import:workflow (${filename} loaded from N8N_CUSTOM_EXTENSIONS as ${nodeType})`);
	n8n(['import:credentials', `--input=${credFile}`], 'n8n import:credentials');
	n8n(['import:workflow', `--input=${wfFile}`], 'n8n import:workflow');
	const loaded = checkLoaded(n8n);
	say(`n8n execute --id ${WORKFLOW_ID}`);
	let execution;
	try {
		const out = n8n(['execute', `--id=${WORKFLOW_ID}`, '--rawOutput'], 'n8n execute');
		execution = executionResult(out);
		if (!execution) throw new StepError('n8n execute: found no execution result on stdout or in the n8n log');
	} catch (error) {
		throw new StepError(`${error.message}\n    n8n log: ${lastLogLines()}`);
	}
	const runData = execution?.data?.resultData?.runData ?? {};
	const workflowError = execution?.data?.resultData?.error?.message;
	const out = (name) => runData[name]?.[0]?.data?.main?.[0]?.map((i) => i.json);

	let failures = loaded.ok ? 0 : 1;
	const failed = new Set();
	console.log('');
	console.log(`${loaded.ok ? 'ok    ' : 'FAILED'}  ${'n8n loads the package'.padEnd(38)} ${loaded.text}`);
	for (const op of OPERATIONS) {
		const runOf = runData[op.name]?.[0];
		let reason = reasonOf(runOf);
		let detail;
		if (!reason) {
			try {
				const result = op.check(out(op.name) ?? [], seed, out);
				if (result.ok) detail = result.text;
				else reason = result.text;
			} catch (error) {
				reason = `unexpected output: ${error.message}`;
			}
		}
		if (reason && !runOf && workflowError) reason = `did not run: ${workflowError}`;
		if (reason && op.needs && failed.has(op.needs)) reason += ` (it uses the output of "${op.needs}", which failed)`;
		if (reason) {
			failures++;
			failed.add(op.name);
		}
		console.log(`${reason ? 'FAILED' : 'ok    '}  ${op.name.padEnd(38)} ${reason ?? detail}`);
	}
	console.log('');
	say(`${OPERATIONS.length + 1 - failures}/${OPERATIONS.length + 1} checks ok in n8n ${JSON.parse(readFileSync(path.join(n8nDir, 'node_modules/n8n/package.json'), 'utf8')).version} (${Math.round((Date.now() - started) / 1000)} s)`);
	return failures === 0;
}

let ok = false;
try {
	ok = await main();
} catch (error) {
	console.error(`smoke:n8n: FAILED: ${error instanceof StepError ? error.message : error.stack}`);
}
cleanup();
process.exit(ok ? 0 : 1);
