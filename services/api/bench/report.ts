import type { HammerResult } from './load.ts';
import type { memoryOf } from './processes.ts';
import type { UsageQueryResult } from './steps.ts';
import type { BillingSection } from './billing.ts';
import type { WebhooksSection } from './webhooks.ts';
import type { WalletsSection } from './wallets.ts';

type Memory = ReturnType<typeof memoryOf>;

/** One database's figures, each beside the baseline measured in the same run. */
export type DatabaseRun = {
  database: string;
  /** `SELECT version()`, in full. */
  database_version?: string;
  started_at: string;
  /** The machine's 1, 5 and 15 min load average as this database's run began: a busy machine shows here. */
  load_average_at_start: number[];
  seconds: number;
  notes: string[];
  bulk_ingestion?: {
    events: number;
    warmup_events: number;
    batch_size: number;
    clients: number;
    http: { seconds: number; events_per_s: number; requests: number; all_visible_after_s?: number };
    copy: { seconds: number; events_per_s: number; method: string };
    ratio: number;
    target?: { min_ratio: number; met: boolean };
  };
  single_event?: {
    connections: number;
    duration_s: number;
    warmup_s: number;
    tally: HammerResult & { stored?: number };
    bare_koa: HammerResult;
    ratio_req_per_s: number;
    target?: { min_req_per_s: number; max_p99_ms: number; req_per_s_met: boolean; p99_met: boolean; met: boolean };
  };
  usage?: {
    table_events: number;
    matching_events: number;
    customers: number;
    window: { start: string; end: string };
    external_customer_id: string;
    event_name: string;
    load: { method: string; seconds: number; events_per_s: number; copy_s: number; index_rebuild_s?: number; analyze_s: number };
    queries: Record<string, UsageQueryResult>;
    target?: { max_ratio_p50: number; met: boolean };
  };
  server_memory?: { at_end: Memory; after_run_1?: Memory };
  webhooks?: WebhooksSection;
  billing?: BillingSection;
  wallets?: WalletsSection;
};

export type Report = {
  benchmark: 'metering';
  date: string;
  started_at: string;
  seconds: number;
  machine: { cpus: number; cpu_model: string; memory_gib: number; load_average_at_start: number[]; load_average_at_end: number[]; node: string; platform: string };
  versions: Record<string, string>;
  options: Record<string, unknown>;
  runs: Partial<Record<'pglite' | 'postgres', DatabaseRun>>;
};

const n = (v: number | undefined, digits = 0) => (v === undefined || Number.isNaN(v) ? '—' : v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const verdict = (target: { met: boolean } | undefined) => (target === undefined ? '' : target.met ? 'met' : 'MISSED');

/** The table on stdout: one line per figure, Tally beside its baseline. */
export function printReport(report: Report): void {
  const rows: string[][] = [['database', 'measure', 'Tally', 'baseline', 'ratio', 'target']];
  for (const [kind, run] of Object.entries(report.runs)) {
    if (!run) continue;
    const b = run.bulk_ingestion;
    if (b) {
      rows.push([kind, `bulk ingest, events/s (${b.clients}×${b.batch_size})`, n(b.http.events_per_s), `${n(b.copy.events_per_s)} COPY`, n(b.ratio, 2), b.target ? `≥ 0.40 ${verdict(b.target)}` : '']);
    }
    const s = run.single_event;
    if (s) {
      const t = s.tally;
      const errors = t.non_2xx + t.errors ? ` (${t.non_2xx} non-2xx, ${t.errors} errors)` : '';
      rows.push([kind, `POST /v1/events, req/s (${s.connections} conn)`, `${n(t.req_per_s)}${errors}`, `${n(s.bare_koa.req_per_s)} bare Koa`, n(s.ratio_req_per_s, 2), s.target ? `≥ 3,000 ${verdict({ met: s.target.req_per_s_met })}` : '']);
      rows.push([kind, 'POST /v1/events, p50 / p99 ms', `${t.latency_ms.p50} / ${t.latency_ms.p99}`, `${s.bare_koa.latency_ms.p50} / ${s.bare_koa.latency_ms.p99}`, '', s.target ? `p99 < 30 ${verdict({ met: s.target.p99_met })}` : '']);
    }
    const u = run.usage;
    if (u) {
      for (const [name, q] of Object.entries(u.queries)) {
        const sql = `${n(q.baseline.p50, 1)} / ${n(q.baseline.p99, 1)} SQL`;
        if (!q.api) {
          rows.push([kind, `usage ${name}, p50 / p99 ms`, 'FAILED', sql, '', u.target ? 'MISSED' : '']);
          continue;
        }
        const wrong = q.correct ? '' : ` WRONG (${q.api.value} ≠ ${q.expected})`;
        const met = (q.ratio_p50 ?? Infinity) <= 1.5 && q.correct;
        rows.push([kind, `usage ${name}, p50 / p99 ms`, `${n(q.api.p50, 1)} / ${n(q.api.p99, 1)}${wrong}`, sql, n(q.ratio_p50, 2), u.target ? `≤ 1.5 ${met ? 'met' : 'MISSED'}` : '']);
      }
      rows.push([kind, '  usage table / matching rows', n(u.table_events), n(u.matching_events), '', '']);
    }
    const w = run.webhooks;
    if (w) {
      rows.push([kind, 'webhook deliveries/s (backlog drain)', n(w.drain.deliveries_per_s), `${n(w.ceiling.req_per_s)} autocannon`, n(w.drain.ratio_to_ceiling, 2), `≥ 0.50 ${verdict(w.drain.target)}`]);
      rows.push([kind, `  commit → receipt p50 / p99 ms (${n(w.latency.achieved_events_per_s)} ev/s)`, `${n(w.latency.commit_to_receipt_ms.p50, 1)} / ${n(w.latency.commit_to_receipt_ms.p99, 1)}`, '', '', `p99 < 1000 ${verdict(w.latency.target)}`]);
      rows.push([kind, `POST /v1/customers req/s, 2 endpoints`, n(w.ingestion.with_two_endpoints.req_per_s), `${n(w.ingestion.without_endpoints.req_per_s)} none`, n(w.ingestion.ratio, 2), `≥ 0.90 ${verdict(w.ingestion.target)}`]);
    }
    const bill = run.billing;
    if (bill) {
      const t = bill.target;
      const wrong = bill.check.correct ? '' : ' WRONG';
      rows.push([kind, `bill run, ${n(bill.subscriptions)} invoices: s (invoices/s)`, `${n(bill.bill_run.seconds, 1)} (${n(bill.bill_run.invoices_per_s)})${wrong}`, `${n(bill.floor.seconds, 2)} SQL`, n(bill.bill_run.ratio_to_floor, 1), t ? `≤ 3 ${verdict({ met: t.ratio_met })}` : '']);
      rows.push([kind, '  bill run server peak RSS, MiB', n(bill.server_memory.at_end?.peak_rss_mb), '', '', t ? `< 600 ${verdict({ met: t.rss_met })}` : '']);
      rows.push([kind, `  invoice preview p50 / p99 ms (${n(bill.hot_events)} ev)`, `${n(bill.preview.p50, 1)} / ${n(bill.preview.p99, 1)}${bill.preview.correct ? '' : ' WRONG'}`, '', '', t ? `p99 < 100 ${verdict({ met: t.preview_met })}` : '']);
      rows.push([kind, '  billing events / setup s (subs, load)', n(bill.events), `${n(bill.setup.subscriptions_s, 0)} + ${n(bill.setup.load.seconds, 0)}`, '', '']);
    }
    const wl = run.wallets;
    if (wl) {
      const rt = wl.real_time;
      const d = wl.debits;
      const floorHow = d.floor.connections > 1 ? `${d.floor.connections} conn` : 'sequential';
      rows.push([kind, `wallet real-time balance p50 / p99 ms (${n(wl.events)} ev)`, `${n(rt.api.p50, 1)} / ${n(rt.api.p99, 1)}${rt.correct ? '' : ' WRONG'}`, `${n(rt.floor.p50, 1)} / ${n(rt.floor.p99, 1)} SQL`, n(rt.ratio_p50, 2), rt.target ? `p99 < 50 ${verdict(rt.target)}` : '']);
      rows.push([kind, `wallet debits tx/s (${d.clients} clients, ${n(d.requests)})`, `${n(d.api.tx_per_s)}${d.api.failed ? ` (${d.api.failed} failed)` : ''}`, `${n(d.floor.tx_per_s)} UPDATE ${floorHow}`, n(d.ratio_tx_per_s, 2), '']);
      rows.push([kind, '  wallet debit p50 / p99 ms', `${n(d.api.latency_ms.p50, 1)} / ${n(d.api.latency_ms.p99, 1)}`, `${n(d.floor.latency_ms.p50, 1)} / ${n(d.floor.latency_ms.p99, 1)}`, '', '']);
      rows.push([kind, '  wallet after debits: balance, ledger rows', `${d.check.final_credit_balance}, ${n(d.check.ledger_rows)}${d.check.correct ? '' : ' LOST UPDATE'}`, `${n(d.check.expected_credit_balance)}, ${n(d.check.expected_ledger_rows)}`, '', '']);
      if (wl.server_memory) rows.push([kind, '  wallets server RSS at end (peak), MiB', `${wl.server_memory.rss_mb} (${wl.server_memory.peak_rss_mb})`, '', '', '']);
    }
    const m = run.server_memory?.at_end;
    if (m) rows.push([kind, 'server RSS at end (peak), MiB', `${m.rss_mb} (${m.peak_rss_mb})`, '', '', '']);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i >= 2 && i <= 4 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  console.log(`\nTally metering benchmark, ${report.date}: ${report.machine.cpus} × ${report.machine.cpu_model}, ${report.machine.memory_gib} GiB, Node ${report.machine.node}`);
  console.log(`load average ${report.machine.load_average_at_start.join(' ')} at start, ${report.machine.load_average_at_end.join(' ')} at end; ${report.seconds} s in all\n`);
  console.log(line(rows[0]));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows.slice(1)) console.log(line(r));
  for (const [kind, run] of Object.entries(report.runs)) {
    if (run) console.log(`${kind}: ${run.database}, ${run.seconds} s, load average ${run.load_average_at_start.join(' ')} at its start`);
  }
  for (const [kind, run] of Object.entries(report.runs)) for (const note of run?.notes ?? []) console.log(`note (${kind}): ${note}`);
  for (const [kind, run] of Object.entries(report.runs)) {
    for (const [name, q] of Object.entries(run?.usage?.queries ?? {})) if (q.error) console.log(`error (${kind}, usage ${name}): ${q.error}`);
  }
  if (!report.runs.postgres) console.log('targets apply to PostgreSQL: set DATABASE_URL to measure it');
}
