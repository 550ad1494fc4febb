// A tenant's jobs, newest first, filtered and paged by the server (the operator's read).

import { api, withQuery } from "../api.js";
import { h, liveRegion } from "../dom.js";
import { jobTable, tenantPicker } from "../views.js";
import { pager } from "./operations.js";

const STATUSES = ["QUEUED", "DISPATCHED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"];

export async function render({ main, query, signal, every }) {
  const filters = Object.fromEntries(
    ["tenant", "status", "type", "affinityKey", "since", "until"].map((n) => [n, query.get(n) ?? ""]),
  );
  const text = (name, label) =>
    h("label", { for: name }, label, h("input", { name, id: name, value: filters[name], autocomplete: "off" }));
  const cursor = query.get("cursor");
  const form = h(
    "form",
    {
      class: "inline",
      id: "job-search",
      onsubmit: (event) => {
        event.preventDefault();
        location.hash = withQuery("#/jobs", Object.fromEntries(new FormData(event.target)));
      },
    },
    h("label", { for: "tenant" }, "Tenant", tenantPicker(filters.tenant, { signal })),
    h("label", { for: "status" }, "Status", h(
      "select",
      { name: "status", id: "status" },
      h("option", { value: "" }, "any"),
      STATUSES.map((s) => h("option", { value: s, selected: filters.status === s }, s)),
    )),
    text("type", "Type"),
    text("affinityKey", "Affinity key"),
    text("since", "Since (2h, 7d, an instant)"),
    text("until", "Until"),
    h("button", { type: "submit" }, "Search"),
  );
  main.append(h("h1", {}, filters.tenant ? `Jobs of ${filters.tenant}` : "Jobs"), form);
  if (!filters.tenant) {
    main.append(h("p", { class: "muted" }, "Choose a tenant: jobs are listed per tenant."));
    return;
  }
  const jobs = liveRegion(async () => {
    const page = await api.get(
      withQuery(`/v1/tenants/${encodeURIComponent(filters.tenant)}/jobs`, { ...filters, tenant: undefined, limit: 50, cursor }),
      { signal },
    );
    return [jobTable(filters.tenant, page.items), h("p", {}, pager("#/jobs", filters, cursor, page.nextCursor))];
  }, "Jobs");
  main.append(jobs.region);
  await jobs.refresh(true);
  if (!cursor) {
    every(3000, jobs.refresh); // the first page shows new jobs as they come
  }
}

