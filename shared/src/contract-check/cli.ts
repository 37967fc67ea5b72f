#!/usr/bin/env node
/**
 * npm run contract -- --base-url URL --key KEY [--write] [--json]
 * The key may also come from LTS_API_KEY (keeps it out of shell history).
 * Exit code: 0 all rows ok or not checked, 1 a mismatch, 2 bad usage.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_BASE_URL } from '../contract.js';
import { checkKeyShape } from '../keys.js';
import { formatReport, runContractCheck } from './index.js';

const usage = `Usage: npm run contract -- --base-url URL --key lts_... [--write] [--json]

  --base-url URL  LeadToSheet API base URL ending in /api/v1 (default ${DEFAULT_BASE_URL})
  --key KEY       API key (or set LTS_API_KEY)
  --write         also run the rows that create a submission and update a form
  --json          print the report as JSON`;

function fail(message: string): never {
  process.stderr.write(`contract check: ${message}\n\n${usage}\n`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      'base-url': { type: 'string' },
      key: { type: 'string' },
      write: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (err) {
  fail((err as Error).message);
}
if (values.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}
const baseUrl = values['base-url'] ?? process.env.LTS_BASE_URL ?? DEFAULT_BASE_URL;
try {
  const url = new URL(baseUrl);
  if (!/^https?:$/.test(url.protocol)) fail(`--base-url must be an http(s) URL, got "${baseUrl}"`);
} catch {
  fail(`--base-url must be a URL such as ${DEFAULT_BASE_URL}, got "${baseUrl}"`);
}
const key = values.key ?? process.env.LTS_API_KEY;
if (!key) fail('--key is required (or set LTS_API_KEY)');
const check = checkKeyShape(key);
if (!check.ok) fail(`--key: ${check.problem}`);

const report = await runContractCheck({ baseUrl, key: check.key, write: values.write });
process.stdout.write(`${values.json ? JSON.stringify(report, null, 2) : formatReport(report)}\n`);
process.exit(report.counts.mismatch > 0 ? 1 : 0);
