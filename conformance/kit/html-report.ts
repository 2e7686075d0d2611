import { verdictOf, type ConformanceReport, type ExchangeSummary, type ExpectationResult, type RecordedOutcome, type ScenarioResult, type Verdict } from './report.ts';

/**
 * report.html: one self-contained page (inline CSS, no scripts, no external assets) that reads the
 * same data as report.json. Failures first, each with the request and response excerpt and the
 * contract rule it broke; then observations (failed assumptions), the scenarios not run, checks,
 * expectations with their evidence, coverage and every scenario.
 */
export function htmlReport(report: ConformanceReport, title: string): string {
  const s = report.summary;
  const pick = (verdict: Verdict) => report.scenarios.flatMap((scenario) => scenario.outcomes.filter((o) => verdictOf(o) === verdict).map((o) => ({ scenario, outcome: o })));
  const failures = pick('failed');
  const observations = pick('observation');
  const known = pick('known');
  const verdict = s.verdict;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>attachkit conformance: ${esc(title)}</title>
<style>${css}</style></head>
<body>
<header>
<h1>attachkit conformance: ${esc(title)}</h1>
<p class="target">${esc(report.baseUrl)} · ${esc(report.mode)} run ${esc(report.runId)}${s.strict ? ' · strict' : ''} · ${esc(report.startedAt)} → ${esc(report.finishedAt)}</p>
<section id="summary" class="verdict ${verdict}">
<strong>${verdict === 'pass' ? 'PASS' : 'FAIL'}</strong>
<span>${s.passedScenarios}/${s.scenarios} scenarios passed${s.notRunScenarios ? ` (${s.notRunScenarios} not run)` : ''}</span>
<span>${s.failedChecks} of ${s.checks} checks failed</span>
<span>${s.observations} observation${s.observations === 1 ? '' : 's'}${s.observations ? (s.strict ? ' (failing: --strict)' : ' (not failing; --strict makes them fail)') : ''}</span>
<span>${s.expectations - s.expectationsNotRun}/${s.expectations} expectations ran</span>
<span>coverage ${report.coverage.exercised}/${report.coverage.documented} documented statuses (${report.coverage.percent}%)</span>
${known.length ? `<span>${known.length} known deviation${known.length === 1 ? '' : 's'} (baseline)</span>` : ''}
</section>
</header>
<main>
${failures.length ? `<section id="failures"><h2>Failures (${failures.length})</h2>${failures.map(({ scenario, outcome }) => failureBlock(scenario, outcome)).join('\n')}</section>` : ''}
${
  observations.length
    ? `<section id="observations"><h2>Observations (${observations.length})</h2><p>Behaviour the suite assumes (neither the vendor's docs nor its source settle it) that the target does not show.${s.strict ? ' This run is strict: they fail it.' : ' They do not fail the run; <code>--strict</code> makes them.'}</p>${observations.map(({ scenario, outcome }) => failureBlock(scenario, outcome, 'observation')).join('\n')}</section>`
    : ''
}
${known.length ? `<section id="known"><h2>Known deviations (baseline)</h2>${known.map(({ scenario, outcome }) => failureBlock(scenario, outcome)).join('\n')}</section>` : ''}
${report.notRun.length ? `<section id="not-run"><h2>Scenarios not run (${report.notRun.length})</h2><table><tbody>${report.notRun.map((n) => `<tr><td>${esc(n.name)}</td><td>${esc(n.needs)}</td></tr>`).join('\n')}</tbody></table></section>` : ''}
<section id="checks"><h2>Checks</h2>
<table><thead><tr><th>check</th><th>passed</th><th>failed</th><th>observed</th></tr></thead><tbody>
${report.checks.map((c) => `<tr class="${c.failed ? 'bad' : c.observations ? 'observed' : ''}"><td>${esc(c.check)}</td><td>${c.passed}</td><td>${c.failed}</td><td>${c.observations}</td></tr>`).join('\n')}
</tbody></table></section>
<section id="expectations"><h2>Expectations</h2>
<p>Every behavioural expectation of the suite with its evidence: documented by the vendor, read in the vendor's source, or assumed. A failed assumption is an observation.</p>
<table><thead><tr><th>expectation</th><th>evidence</th><th>passed</th><th>failed</th><th>observed</th></tr></thead><tbody>
${report.expectations.map(expectationRow).join('\n')}
</tbody></table></section>
<section id="coverage"><h2>Coverage: operation × documented status</h2>
<p>✓ exercised by this run · ✗ not exercised · ~ vendor-only (not produced by the reference server)</p>
<table><tbody>
${report.coverage.operations
  .map(
    (op) =>
      `<tr><td><code>${esc(op.method)} ${esc(op.path)}</code><br><small>${esc(op.operationId)}</small></td>${op.statuses
        .map((st) => `<td class="${st.vendorOnly ? 'vendor' : st.hits ? 'hit' : 'miss'}" title="${esc(st.vendorOnly ?? `${st.hits} exchange(s)`)}">${esc(st.status)} ${st.vendorOnly ? '~' : st.hits ? '✓' : '✗'}</td>`)
        .join('')}</tr>`,
  )
  .join('\n')}
</tbody></table></section>
<section id="scenarios"><h2>Scenarios</h2>
${report.scenarios.map(scenarioBlock).join('\n')}
</section>
</main>
</body></html>
`;
}

function expectationRow(e: ExpectationResult): string {
  const evidence =
    e.evidence.kind === 'documented'
      ? `documented: <a href="${esc(e.evidence.url)}">${esc(e.evidence.url)}</a>`
      : e.evidence.kind === 'source'
        ? `source: <code>${esc(e.evidence.repo)}@${esc(e.evidence.version)}</code> <code>${esc(e.evidence.path)}</code>`
        : `assumed: ${esc(e.evidence.why)}`;
  const counts = e.ran ? `<td>${e.passed}</td><td>${e.failed}</td><td>${e.observations}</td>` : '<td colspan="3">never ran</td>';
  return `<tr class="${e.failed ? 'bad' : e.observations ? 'observed' : e.ran ? '' : 'idle'}"><td><code>${esc(e.name)}</code><br><small>${esc(e.title)}</small></td><td class="evidence ${e.evidence.kind}">${evidence}</td>${counts}</tr>`;
}

function failureBlock(scenario: ScenarioResult, outcome: RecordedOutcome, kind: 'failure' | 'observation' = 'failure'): string {
  const exchange = outcome.exchange === undefined ? undefined : scenario.exchanges.find((e) => e.index === outcome.exchange);
  return `<details class="${kind}" open><summary><span class="check">${esc(outcome.check)}</span> ${esc(outcome.title ?? '')}</summary>
<dl>
<dt>scenario</dt><dd>${esc(scenario.name)}</dd>
${outcome.expectation ? `<dt>expectation</dt><dd><code>${esc(outcome.expectation)}</code></dd>` : ''}
${exchange ? `<dt>step</dt><dd>${esc(exchange.step)}</dd>` : ''}
${outcome.rule ? `<dt>contract rule</dt><dd><code>${esc(outcome.rule)}</code></dd>` : ''}
${outcome.detail ? `<dt>detail</dt><dd><pre>${esc(outcome.detail)}</pre></dd>` : ''}
</dl>
${exchange ? exchangeBlock(exchange) : ''}
</details>`;
}

function exchangeBlock(e: ExchangeSummary): string {
  const headers = (h: Record<string, string>) => Object.entries(h).map(([k, v]) => `${k}: ${v}`).join('\n');
  return `<div class="exchange">
<div><h4>Request</h4><pre>${esc(`${e.method} ${e.url}\n${headers(e.request.headers)}\n\n${e.request.bodyExcerpt}`)}</pre></div>
<div><h4>Response</h4><pre>${e.response ? esc(`${e.status}\n${headers(e.response.headers)}\n\n${e.response.bodyExcerpt}`) : esc(`no response: ${e.transportError ?? ''}`)}</pre></div>
</div>`;
}

function scenarioBlock(scenario: ScenarioResult): string {
  const failed = scenario.outcomes.filter((o) => verdictOf(o) === 'failed').length;
  return `<details class="scenario ${scenario.state}"><summary>${scenario.state === 'passed' ? '✓' : '✗'} ${esc(scenario.name)} <small>${scenario.exchanges.length} requests · ${scenario.outcomes.length} checks${failed ? ` · ${failed} failed` : ''} · ${scenario.durationMs} ms</small></summary>
<table class="steps"><tbody>${scenario.exchanges
    .map((e) => `<tr><td>${e.status ?? '—'}</td><td><code>${esc(e.method)}</code></td><td>${esc(e.operationId ?? '')}</td><td>${esc(e.step)}</td></tr>`)
    .join('')}</tbody></table>
${scenario.errors.length ? `<pre>${esc(scenario.errors.join('\n'))}</pre>` : ''}
</details>`;
}

function esc(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const css = `
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d2433;background:#f6f7f9}
header{background:#fff;border-bottom:1px solid #dde1e6;padding:16px 24px}
main{padding:8px 24px 40px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px}h4{margin:4px 0}
.target{color:#5b6474;margin:0 0 12px}
.verdict{display:flex;flex-wrap:wrap;gap:16px;align-items:center;padding:10px 14px;border-radius:6px}
.verdict strong{font-size:18px}.verdict.pass{background:#e6f4ea;color:#0b5d1e}.verdict.fail{background:#fde8e8;color:#8a1c1c}
table{border-collapse:collapse;background:#fff}td,th{border:1px solid #dde1e6;padding:4px 8px;text-align:left;vertical-align:top}
tr.bad td{background:#fde8e8}td.hit{background:#e6f4ea}td.miss{background:#fde8e8}td.vendor{background:#eef0f3;color:#5b6474}
details{background:#fff;border:1px solid #dde1e6;border-radius:6px;margin:6px 0;padding:6px 10px}
details.failure{border-left:4px solid #c62828}details.observation{border-left:4px solid #b26a00}
tr.observed td{background:#fff4e0}tr.idle td{color:#5b6474}td.evidence.assumed{color:#8a5a00}details.scenario.failed{border-left:4px solid #c62828}
summary{cursor:pointer}.check{font-family:ui-monospace,monospace;background:#fde8e8;padding:1px 6px;border-radius:4px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px}dt{color:#5b6474}dd{margin:0}
pre{background:#f3f4f6;padding:8px;overflow:auto;max-height:320px;white-space:pre-wrap;word-break:break-all;margin:4px 0}
.exchange{display:grid;grid-template-columns:1fr 1fr;gap:12px}
small{color:#5b6474}
`;
