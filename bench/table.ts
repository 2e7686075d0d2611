import type { Check, PhaseOutcome, Row } from './report.ts';

function num(value: number | null | undefined, unit = ''): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)}${unit ? ` ${unit}` : ''}`;
}

function cells(row: Row): string[] {
  const baseline = row.baseline ? `${num(row.baseline.value, row.baseline.unit ?? row.unit)} (${row.baseline.label})` : '';
  const ratio = row.ratio ? (row.ratio.unit === '%' ? num(row.ratio.value, '%') : row.ratio.value === null ? '—' : `${num(row.ratio.value)}×`) : '';
  const met = row.met === undefined ? '' : row.met === null ? 'n/a' : row.met ? 'yes' : 'NO';
  return [row.metric, num(row.value, row.unit), baseline, ratio, row.goal ?? '', met];
}

/** The readable table: one block per section, then notes, checks and what became of each phase. */
export function renderTable(rows: Row[], checks: Check[], phases: PhaseOutcome[] = []): string {
  const header = ['metric', 'value', 'baseline', 'ratio', 'goal', 'met'];
  const body = rows.map(cells);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const out = [line(header), rule];
  let section = '';
  rows.forEach((row, i) => {
    if (row.section !== section) {
      section = row.section;
      out.push(`[${section}]`);
    }
    out.push(line(body[i]));
  });
  const notes = rows.filter((r) => r.note);
  if (notes.length) out.push('', 'notes:', ...notes.map((r) => `  ${r.metric}: ${r.note}`));
  out.push('', 'checks:', ...checks.map((c) => `  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}`));
  if (phases.length) {
    const status = Math.max(...phases.map((p) => p.status.length));
    const time = (p: PhaseOutcome) => (p.seconds === undefined ? '' : ` (${p.seconds.toFixed(0)} s)`);
    out.push('', 'phases:', ...phases.map((p) => `  ${p.status.padEnd(status)}  ${p.phase}${time(p)}${p.reason ? `: ${p.reason}` : ''}`));
  }
  return out.join('\n');
}
