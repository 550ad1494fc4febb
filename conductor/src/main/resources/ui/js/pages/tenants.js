// Tenants with their status, plan, live workers and queue depth, filtered and paged by the server;
// onboarding a new one.

import { api, withQuery } from "../api.js";
import { parseMetrics } from "../metrics.js";
import { errorNotice, h, liveRegion, notice, status, table, time } from "../dom.js";
import { pager } from "./operations.js";

const STATUSES = ["PROVISIONING", "READY", "UPDATING", "SUSPENDED", "DELETING", "FAILED"];

export async function render({ main, query, signal, every }) {
  const filters = Object.fromEntries(["namePrefix", "status", "plan"].map((n) => [n, query.get(n) ?? ""]));
  const cursor = query.get("cursor");
  const created = h("div");
  const name = h("input", { id: "new-name", name: "name", required: true, pattern: "[a-z][a-z0-9\\-]*[a-z0-9]", autocomplete: "off" });
  const plan = h("input", { id: "new-plan", name: "plan", value: "standard", list: "plans" });
  const form = h(
    "form",
    {
      class: "inline",
      id: "create-tenant",
      onsubmit: async (event) => {
        event.preventDefault();
        try {
          const tenant = await api.post("/v1/tenants", { name: name.value.trim(), plan: plan.value.trim() || undefined });
          created.replaceChildren(keyShownOnce(tenant));
          name.value = "";
          refresh(true);
        } catch (error) {
          created.replaceChildren(errorNotice(error));
        }
      },
    },
    h("label", { for: "new-name" }, "Name", name),
    h("label", { for: "new-plan" }, "Plan", plan),
    h("datalist", { id: "plans" }, h("option", { value: "standard" }), h("option", { value: "dev" })),
    h("button", { type: "submit" }, "Create tenant"),
  );
  const search = h(
    "form",
    {
      class: "inline",
      id: "tenant-search",
      onsubmit: (event) => {
        event.preventDefault();
        location.hash = withQuery("#/tenants", Object.fromEntries(new FormData(event.target)));
      },
    },
    h("label", { for: "namePrefix" }, "Name starts with", h("input", { name: "namePrefix", id: "namePrefix", type: "search", value: filters.namePrefix, autocomplete: "off" })),
    h("label", { for: "status" }, "Status", h(
      "select",
      { name: "status", id: "status" },
      h("option", { value: "" }, "any"),
      STATUSES.map((s) => h("option", { value: s, selected: filters.status === s }, s)),
    )),
    h("label", { for: "plan" }, "Plan", h("input", { name: "plan", id: "plan", value: filters.plan, list: "plans", autocomplete: "off" })),
    h("button", { type: "submit" }, "Search"),
  );

  const { region, refresh } = liveRegion(async () => {
    const [page, text] = await Promise.all([
      api.get(withQuery("/v1/tenants", { ...filters, limit: 50, cursor }), { signal }),
      api.text("/metrics", { signal }),
    ]);
    const metrics = parseMetrics(text);
    const workers = metrics.by("conductor_workers", "tenant");
    const queued = metrics.by("conductor_jobs_queued", "tenant");
    return [table(
      "Tenants",
      [
        { title: "Tenant", cell: (t) => h("a", { href: `#/tenants/${encodeURIComponent(t.name)}` }, t.name) },
        { title: "Status", cell: (t) => status(t.status) },
        { title: "Plan", cell: (t) => t.plan },
        { title: "Live workers", cell: (t) => workers.get(t.name) ?? 0, num: true },
        { title: "Queued jobs", cell: (t) => queued.get(t.name) ?? 0, num: true },
        { title: "Updated", cell: (t) => time(t.updatedAt) },
      ],
      page.items,
      { key: (t) => t.name, empty: "No tenants match." },
    ), h("p", {}, pager("#/tenants", filters, cursor, page.nextCursor))];
  }, "Tenants");

  main.append(
    h("h1", {}, "Tenants"),
    h("h2", {}, "Onboard a tenant"),
    form,
    created,
    h("h2", {}, "Tenants by name"),
    h("p", { class: "muted" }, "Workers and queue depth come from /metrics, refreshed every few seconds."),
    search,
    region,
  );
  await refresh(true);
  every(3000, refresh);
}

/** The new tenant's API key: shown here once, never stored by the console. */
function keyShownOnce(tenant) {
  return notice([
    h("p", {}, `Tenant ${tenant.name} is ${tenant.status}. Its API key, shown only this once:`),
    h("p", {}, h("code", { class: "secret", id: "api-key" }, tenant.apiKey)),
    h("p", {}, h("a", { href: `#/operations/${encodeURIComponent(tenant.operationId)}`, id: "follow-operation" }, "Follow its provisioning")),
  ]);
}
