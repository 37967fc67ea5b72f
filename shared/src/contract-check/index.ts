/**
 * The contract check: runs the shared client against any LeadToSheet base URL and key
 * (the local sandbox or a real account) and reports, row by row, whether each documented
 * or assumed behaviour holds. Read-only unless `write` is set.
 */
import { maskKey } from '../keys.js';
import { CheckContext, type CheckRow, type Outcome } from './check-context.js';
import { checkRows } from './checks.js';

export { checkRows } from './checks.js';
export type { CheckRow, Outcome } from './check-context.js';

export interface ContractCheckOptions {
  baseUrl: string;
  key: string;
  write?: boolean;
  rows?: CheckRow[];
}

export interface RowResult {
  id: string;
  basis: CheckRow['basis'];
  title: string;
  outcome: Outcome;
}

export interface ContractReport {
  baseUrl: string;
  key: string;
  write: boolean;
  rows: RowResult[];
  counts: { ok: number; mismatch: number; not_checked: number };
}

export async function runContractCheck(options: ContractCheckOptions): Promise<ContractReport> {
  const write = options.write ?? false;
  const ctx = new CheckContext(options.baseUrl, options.key, write);
  const rows: RowResult[] = [];
  for (const row of options.rows ?? checkRows) {
    let outcome: Outcome;
    if (row.writes && !write) outcome = { status: 'not_checked', reason: 'changes data: run with --write' };
    else {
      try {
        outcome = await row.run(ctx);
      } catch (err) {
        outcome = { status: 'mismatch', detail: err instanceof Error ? err.message : String(err) };
      }
    }
    rows.push({ id: row.id, basis: row.basis, title: row.title, outcome });
  }
  const count = (s: Outcome['status']) => rows.filter((r) => r.outcome.status === s).length;
  return {
    baseUrl: options.baseUrl,
    key: maskKey(options.key),
    write,
    rows,
    counts: { ok: count('ok'), mismatch: count('mismatch'), not_checked: count('not_checked') },
  };
}

const LABEL: Record<Outcome['status'], string> = { ok: 'ok', mismatch: 'MISMATCH', not_checked: 'not checked' };

/** A plain-text table, one row per behaviour. */
export function formatReport(report: ContractReport): string {
  const lines = [
    `LeadToSheet contract check against ${report.baseUrl} with key ${report.key}${report.write ? ' (--write)' : ' (read-only)'}`,
    '',
  ];
  const width = Math.max(...report.rows.map((r) => r.id.length));
  for (const r of report.rows) {
    const o = r.outcome;
    const extra = o.status === 'mismatch' ? o.detail : o.status === 'not_checked' ? o.reason : (o.note ?? '');
    lines.push(`${LABEL[o.status].padEnd(11)}  ${r.id.padEnd(width)}  [${r.basis}] ${r.title}${extra ? `\n${' '.repeat(13 + width)}  -> ${extra}` : ''}`);
  }
  const c = report.counts;
  lines.push('', `${c.ok} ok, ${c.mismatch} mismatch, ${c.not_checked} not checked`);
  return lines.join('\n');
}
