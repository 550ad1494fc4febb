// Small DOM builders. Text is always set as text (never parsed as HTML), so nothing a tenant or a
// worker wrote can run as script in the operator's console.

export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name.startsWith("on")) {
      element.addEventListener(name.slice(2), value);
    } else if (name === "class") {
      element.className = value;
    } else {
      element.setAttribute(name, value === true ? "" : String(value));
    }
  }
  append(element, children);
  return element;
}

/** Replaces an element's children, flattening arrays and leaving out null, undefined and false. */
export function fill(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child !== undefined && child !== null && child !== false) {
      element.append(child instanceof Node ? child : String(child));
    }
  }
}

const TONES = {
  READY: "good", SUCCEEDED: "good", RUNNING: "busy", DISPATCHED: "busy", QUEUED: "busy",
  STARTING: "busy", PROVISIONING: "busy", UPDATING: "busy", DELETING: "busy", DRAINING: "busy",
  FAILED: "bad", LOST: "bad", CANCELLED: "idle", STOPPED: "idle", DELETED: "idle", SUSPENDED: "idle",
};

/** A status as text, its colour only a second cue. */
export function status(value) {
  return h("span", { class: `status ${TONES[value] ?? "idle"}`, "data-status": value }, value ?? "—");
}

export function time(iso) {
  if (!iso) {
    return "—";
  }
  const at = new Date(iso);
  const today = at.toDateString() === new Date().toDateString();
  const shown = today ? at.toLocaleTimeString() : `${at.toLocaleDateString()} ${at.toLocaleTimeString()}`;
  return h("time", { datetime: iso, title: iso }, `${shown} (${age(at)} ago)`);
}

export function age(at) {
  const seconds = Math.max(0, Math.round((Date.now() - at.getTime()) / 1000));
  if (seconds < 90) return `${seconds}s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)}m`;
  if (seconds < 36 * 3600) return `${Math.round(seconds / 3600)}h`;
  return `${Math.round(seconds / 86400)}d`;
}

export function seconds(value) {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  if (value === Infinity) return "> longest bucket";
  if (value < 1) return `${Math.round(value * 1000)} ms`;
  return `${value.toFixed(value < 10 ? 2 : 0)} s`;
}

/**
 * A table: columns are {title, cell(row) → node or text, num?}; rows get data-key when key(row)
 * is given, so tests and scripts can find a row.
 */
export function table(caption, columns, rows, { key, empty = "None." } = {}) {
  if (rows.length === 0) {
    return h("p", { class: "muted" }, empty);
  }
  return h(
    "table",
    {},
    h("caption", { class: "skip" }, caption),
    h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col", class: c.num ? "num" : null }, c.title)))),
    h(
      "tbody",
      {},
      rows.map((row) =>
        h(
          "tr",
          { "data-key": key ? key(row) : null },
          columns.map((c) => h("td", { class: c.num ? "num" : null }, c.cell(row) ?? "—")),
        ),
      ),
    ),
  );
}

export function facts(pairs) {
  return h(
    "dl",
    { class: "facts" },
    pairs.filter(([, value]) => value !== undefined).map(([term, value]) => [h("dt", {}, term), h("dd", {}, value ?? "—")]),
  );
}

export function notice(text, { error = false } = {}) {
  return h("div", { class: error ? "notice error" : "notice", role: error ? "alert" : "status" }, text);
}

export function errorNotice(error) {
  const retry = error.retryAfter ? ` Retry after ${error.retryAfter} s.` : "";
  return notice(`${error.detail ?? error.message}${error.status ? ` (HTTP ${error.status})` : ""}.${retry}`, { error: true });
}

/** A region that re-renders itself, but never while focus is inside it (a keyboard user's place). */
export function liveRegion(render, label) {
  const region = h("section", { "aria-label": label });
  const refresh = async (force = false) => {
    if (!force && region.contains(document.activeElement)) {
      return;
    }
    try {
      fill(region, await render());
    } catch (error) {
      if (error.name !== "AbortError") {
        region.replaceChildren(errorNotice(error));
      }
    }
  };
  return { region, refresh };
}
