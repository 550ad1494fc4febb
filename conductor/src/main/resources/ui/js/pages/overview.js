// The whole conductor at a glance, from the numbers of GET /metrics (docs/metrics.md): totals since
// the conductor started, and throughput measured between this page's scrapes.

import { api } from "../api.js";
import { parseMetrics } from "../metrics.js";
import { h, liveRegion, seconds, table } from "../dom.js";

const finishedRates = []; // jobs finished per second between scrapes, kept while the console is open
let lastScrape = null;

export async function render({ main, signal, every }) {
  const overview = liveRegion(async () => {
    const [text, tenants] = await Promise.all([api.text("/metrics", { signal }), api.get("/v1/tenants", { signal })]);
    const m = parseMetrics(text);
    const finished = m.sum("conductor_jobs_finished_total");
    const now = Date.now();
    if (lastScrape && now > lastScrape.at) {
      finishedRates.push(Math.max(0, (finished - lastScrape.finished) / ((now - lastScrape.at) / 1000)));
      finishedRates.splice(0, finishedRates.length - 60);
    }
    lastScrape = { at: now, finished };
    const outcomes = m.by("conductor_jobs_finished_total", "outcome");
    const failed = outcomes.get("FAILED") ?? 0;
    const workers = m.by("conductor_workers", "state");
    const byStatus = new Map();
    tenants.forEach((t) => byStatus.set(t.status, (byStatus.get(t.status) ?? 0) + 1));
    const card = (label, value, id) => h("div", { class: "card", id }, h("div", { class: "value" }, value), h("div", { class: "label" }, label));
    const operations = m.by("conductor_operations_seconds_count", "outcome");
    return [
      h("h2", {}, "Now"),
      h("div", { class: "cards" },
        card("tenants", tenants.length, "tenants-total"),
        card("queued jobs", m.sum("conductor_jobs_queued"), "jobs-queued"),
        card("oldest queued job", seconds(m.max("conductor_jobs_queued_oldest_age_seconds"))),
        card("live workers", m.sum("conductor_workers"), "workers-live"),
        card("jobs finished per second (last scrape)", finishedRates.length ? finishedRates.at(-1).toFixed(2) : "—", "throughput"),
      ),
      sparkline(finishedRates),
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

/** Jobs finished per second over the last scrapes, as a line with its numbers in text beside it. */
function sparkline(rates) {
  if (rates.length < 2) {
    return h("p", { class: "muted" }, "Throughput appears here after a few scrapes (every 5 s while this page is open).");
  }
  const ns = "http://www.w3.org/2000/svg";
  const width = 300;
  const height = 40;
  const top = Math.max(...rates, 0.001);
  const points = rates.map((r, i) => `${(i * width) / (rates.length - 1)},${height - (r / top) * height}`).join(" ");
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("width", width);
  svg.setAttribute("height", height);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", `jobs finished per second, last ${rates.length} scrapes, peak ${top.toFixed(2)}`);
  const line = document.createElementNS(ns, "polyline");
  line.setAttribute("points", points);
  line.setAttribute("fill", "none");
  line.setAttribute("stroke", "currentColor");
  svg.append(line);
  return h("p", {}, svg, ` peak ${top.toFixed(2)} jobs/s`);
}
