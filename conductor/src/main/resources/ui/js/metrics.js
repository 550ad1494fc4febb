// Reads the Prometheus text of GET /metrics: the same numbers a Prometheus scrape gets
// (docs/metrics.md names every metric and label).

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parseMetrics(text) {
  const samples = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) {
      continue;
    }
    const match = SAMPLE.exec(line);
    if (!match) {
      continue;
    }
    const labels = {};
    for (const label of (match[2] ?? "").matchAll(LABEL)) {
      labels[label[1]] = label[2].replace(/\\(.)/g, (_, c) => (c === "n" ? "\n" : c));
    }
    const value = match[3] === "+Inf" ? Infinity : match[3] === "-Inf" ? -Infinity : Number(match[3]);
    samples.push({ name: match[1], labels, value });
  }
  return new Metrics(samples);
}

export class Metrics {
  constructor(samples) {
    this.samples = samples;
  }

  /** The samples of one metric whose labels include every label of `where`. */
  select(name, where = {}) {
    return this.samples.filter(
      (s) => s.name === name && Object.entries(where).every(([k, v]) => s.labels[k] === v),
    );
  }

  sum(name, where) {
    return this.select(name, where).reduce((total, s) => total + s.value, 0);
  }

  max(name, where) {
    return this.select(name, where).reduce((most, s) => Math.max(most, s.value), 0);
  }

  /** Sums by one label's value: Map(value → sum). */
  by(name, label, where) {
    const sums = new Map();
    for (const s of this.select(name, where)) {
      const key = s.labels[label] ?? "";
      sums.set(key, (sums.get(key) ?? 0) + s.value);
    }
    return sums;
  }

  /** A histogram's mean in seconds (its _sum over its _count), or null before any sample. */
  mean(histogram, where) {
    const count = this.sum(`${histogram}_count`, where);
    return count > 0 ? this.sum(`${histogram}_sum`, where) / count : null;
  }

  /**
   * The upper bound of the histogram bucket holding quantile q, every series summed (as Prometheus'
   * histogram_quantile does, without interpolation), or null before any sample.
   */
  quantile(histogram, q, where) {
    const buckets = [...this.by(`${histogram}_bucket`, "le", where)]
      .map(([le, count]) => [le === "+Inf" ? Infinity : Number(le), count])
      .sort((a, b) => a[0] - b[0]);
    const total = buckets.length ? buckets[buckets.length - 1][1] : 0;
    if (total === 0) {
      return null;
    }
    return buckets.find(([, count]) => count >= q * total)[0];
  }
}
