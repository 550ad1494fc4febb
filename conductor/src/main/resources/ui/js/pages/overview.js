// The whole conductor at a glance, from the numbers of GET /metrics (docs/metrics.md): totals since
// the conductor started, and throughput, latency and failures measured between this page's scrapes.
// Nothing here lists tenants or jobs, so it costs the same with 10 or 10,000 tenants.

import { api } from "../api.js";
import { parseMetrics } from "../metrics.js";
import { h, liveRegion, seconds, table } from "../dom.js";

// Per interval between two scrapes, kept while the console is open (the last 60, 5 minutes).
const history = { throughput: [], latency: [], failures: [] };
let lastScrape = null;

/** What changed between two scrapes: jobs/s finished, mean queued → started, % of finished failed. */
function recordInterval(m, now) {
  const totals = {
    at: now,
    finished: m.sum("conductor_jobs_finished_total"),
    failed: m.sum("conductor_jobs_finished_total", { outcome: "FAILED" }),
    waitSum: m.sum("conductor_jobs_queued_duration_seconds_sum"),
    waitCount: m.sum("conductor_jobs_queued_duration_seconds_count"),
  };
  const last = lastScrape;
  lastScrape = totals;
  // A restarted conductor starts its counters again: that interval says nothing.
  if (!last || now <= last.at || totals.finished < last.finished || totals.waitCount < last.waitCount) {
    return;
  }
  const finished = totals.finished - last.finished;
  const started = totals.waitCount - last.waitCount;
  push(history.throughput, finished / ((now - last.at) / 1000));
  push(history.latency, started > 0 ? (totals.waitSum - last.waitSum) / started : null);
  push(history.failures, finished > 0 ? (100 * (totals.failed - last.failed)) / finished : null);
}

function push(series, value) {
  series.push(value);
  series.splice(0, series.length - 60);
}

export async function render({ main, signal, every }) {
  const overview = liveRegion(async () => {
    const m = parseMetrics(await api.text("/metrics", { signal }));
    recordInterval(m, Date.now());
    const finished = m.sum("conductor_jobs_finished_total");
    const failed = m.sum("conductor_jobs_finished_total", { outcome: "FAILED" });
    const workers = m.by("conductor_workers", "state");
    const byStatus = m.by("conductor_tenants", "status");
    const throughput = history.throughput.at(-1);
    const card = (label, value, id) => h("div", { class: "card", id }, h("div", { class: "value" }, value), h("div", { class: "label" }, label));
    const operations = m.by("conductor_operations_seconds_count", "outcome");
    return [
      h("h2", {}, "Now"),
      h("div", { class: "cards" },
        card("tenants", m.sum("conductor_tenants"), "tenants-total"),
        card("queued jobs", m.sum("conductor_jobs_queued"), "jobs-queued"),
        card("oldest queued job", seconds(m.max("conductor_jobs_queued_oldest_age_seconds"))),
        card("live workers", m.sum("conductor_workers"), "workers-live"),
        card("jobs finished per second (last scrape)", throughput === undefined ? "—" : throughput.toFixed(2), "throughput"),
      ),
      h("h2", {}, "Over the last minutes"),
      h("p", { class: "muted" }, "Measured between this page's scrapes, every 5 s while it is open."),
      chart("jobs finished per second", history.throughput, (v) => v.toFixed(2), "chart-throughput"),
      chart("queued → started, mean", history.latency, (v) => seconds(v), "chart-latency"),
      chart("finished jobs that failed", history.failures, (v) => `${v.toFixed(1)} %`, "chart-failures"),
      h("h2", {}, "Since the conductor started"),
      h("div", { class: "cards" },
        card("jobs submitted", m.sum("conductor_jobs_submitted_total"), "jobs-submitted"),
        card("jobs finished", finished, "jobs-finished"),
        card("jobs failed", failed, "jobs-failed"),
        card("failure rate", finished ? `${((100 * failed) / finished).toFixed(1)} %` : "—", "failure-rate"),
        card("queued → started, mean", seconds(m.mean("conductor_jobs_queued_duration_seconds"))),
        card("queued → started, p95 at most", seconds(m.quantile("conductor_jobs_queued_duration_seconds", 0.95))),
        card("run time, mean", seconds(m.mean("conductor_jobs_run_duration_seconds"))),
        card("run time, p95 at most", seconds(m.quantile("conductor_jobs_run_duration_seconds", 0.95))),
        card("worker cold start, mean", seconds(m.mean("conductor_workers_cold_start_seconds"))),
      ),
      h("h2", {}, "Tenants by status"),
      table("Tenants by status", [{ title: "Status", cell: ([s]) => s }, { title: "Tenants", cell: ([, n]) => n, num: true }], [...byStatus]),
      h("h2", {}, "Workers by state"),
      table("Workers by state", [{ title: "State", cell: ([s]) => s }, { title: "Workers", cell: ([, n]) => n, num: true }], [...workers], { empty: "No live workers." }),
      h("h2", {}, "Operation attempts by outcome"),
      table("Operations by outcome", [{ title: "Outcome", cell: ([s]) => s }, { title: "Attempts", cell: ([, n]) => n, num: true }], [...operations], { empty: "No operations yet." }),
    ];
  }, "Overview");
  main.append(h("h1", {}, "Overview"), overview.region);
  await overview.refresh(true);
  every(5000, overview.refresh);
}

/**
 * One series over the last scrapes, as a line with its last value and peak in text beside it (the
 * line alone is not the information). Gaps (intervals with nothing to measure) break the line.
 */
function chart(label, series, format, id) {
  const known = series.filter((v) => v !== null);
  if (known.length < 2) {
    const why = series.length < 2 ? "appears after a few scrapes" : "too few jobs in the intervals measured so far";
    return h("p", { class: "muted", id }, `${label}: ${why}.`);
  }
  const ns = "http://www.w3.org/2000/svg";
  const width = 300;
  const height = 40;
  const top = Math.max(...known, 0.001);
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("width", width);
  svg.setAttribute("height", height);
  svg.setAttribute("role", "img");
  svg.setAttribute("class", "chart");
  svg.setAttribute("aria-label", `${label}, last ${series.length} intervals, peak ${format(top)}`);
  let points = [];
  const flush = () => {
    if (points.length) {
      const line = document.createElementNS(ns, "polyline");
      line.setAttribute("points", points.join(" "));
      line.setAttribute("fill", "none");
      line.setAttribute("stroke", "currentColor");
      svg.append(line);
    }
    points = [];
  };
  series.forEach((v, i) => {
    if (v === null) {
      flush();
    } else {
      points.push(`${(i * width) / Math.max(1, series.length - 1)},${height - (v / top) * height}`);
    }
  });
  flush();
  return h("p", { id }, h("strong", {}, label), " ", svg, ` now ${format(known.at(-1))}, peak ${format(top)}`);
}
