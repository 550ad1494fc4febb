// Every tenant's operations, newest first, filtered and paged by the server.

import { api, withQuery } from "../api.js";
import { errorNotice, h } from "../dom.js";
import { operationTable } from "../views.js";

const KINDS = ["PROVISION", "DEPROVISION", "UPDATE", "REFRESH", "PREVIEW"];
const STATUSES = ["QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"];

export async function render({ main, query, signal }) {
  const filters = Object.fromEntries(["tenant", "kind", "status", "since"].map((n) => [n, query.get(n) ?? ""]));
  const select = (name, values) =>
    h("select", { name, id: name }, h("option", { value: "" }, "any"), values.map((v) => h("option", { value: v, selected: filters[name] === v }, v)));
  const form = h(
    "form",
    {
      class: "inline",
      onsubmit: (event) => {
        event.preventDefault();
        const data = Object.fromEntries(new FormData(event.target));
        location.hash = withQuery("#/operations", data);
      },
    },
    h("label", { for: "tenant" }, "Tenant", h("input", { name: "tenant", id: "tenant", value: filters.tenant })),
    h("label", { for: "kind" }, "Kind", select("kind", KINDS)),
    h("label", { for: "status" }, "Status", select("status", STATUSES)),
    h("label", { for: "since" }, "Since (2h, 7d, an instant)", h("input", { name: "since", id: "since", value: filters.since })),
    h("button", { type: "submit" }, "Search"),
  );
  main.append(h("h1", {}, "Operations"), form);
  try {
    const page = await api.get(withQuery("/v1/operations", { ...filters, limit: 50, cursor: query.get("cursor") }), { signal });
    main.append(
      operationTable(page.items),
      h("p", {}, pager("#/operations", filters, query.get("cursor"), page.nextCursor)),
    );
  } catch (error) {
    main.append(errorNotice(error));
  }
}

/** First-page and next-page links; the browser's Back goes to the previous page. */
export function pager(base, filters, cursor, next) {
  return [
    cursor ? h("a", { href: withQuery(base, filters) }, "First page") : null,
    cursor && next ? " · " : null,
    next ? h("a", { href: withQuery(base, { ...filters, cursor: next }), rel: "next" }, "Next page") : null,
  ];
}
