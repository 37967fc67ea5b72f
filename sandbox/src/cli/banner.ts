/** What `serve` prints once at start-up (stdout). The only place full demo keys are shown. */
import type { RunningSandbox } from '../create-sandbox.js';
import type { DemoSeed } from '../seed/demo.js';

export interface BannerInput {
  running: RunningSandbox;
  dataFile?: string;
  seed?: DemoSeed;
  seedOut?: string;
  rateLimit: number;
}

export function banner({ running, dataFile, seed, seedOut, rateLimit }: BannerInput): string {
  const lines = [
    '',
    '  LeadToSheet API v1 sandbox is running',
    '',
    `  Base URL   ${running.baseUrl}`,
    `  OpenAPI    ${running.baseUrl}/openapi.json`,
    `  Admin API  ${running.url}/_sandbox (loopback only)`,
    `  Data       ${dataFile ?? 'in memory (gone when the sandbox stops)'}`,
    `  Rate limit ${rateLimit > 0 ? `${rateLimit} requests per key per minute` : 'off'}`,
  ];
  if (seed) {
    lines.push('', `  Demo site "${seed.site.name}" (${seed.site.id}), ${seed.forms.length} forms`);
    if (seedOut) {
      lines.push(`  Demo keys written to ${seedOut}`);
    } else {
      lines.push(
        `  Full-access key  ${seed.keys.full}`,
        `  Read-only key    ${seed.keys.readOnly}`,
        '',
        '  These keys are shown only now: copy them. Try:',
        `    curl -H "Authorization: Bearer ${seed.keys.readOnly}" ${running.baseUrl}/submissions`,
      );
    }
  }
  lines.push('', '  Press Ctrl+C to stop.', '');
  return lines.join('\n');
}
