// Every tenant with its status, plan, live workers and queue depth; onboarding a new one.

import { api } from "../api.js";
import { parseMetrics } from "../metrics.js";
import { errorNotice, h, liveRegion, notice, status, table, time } from "../dom.js";

export async function render({ main, signal, every }) {
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
  const filter = h("input", { id: "filter", type: "search", placeholder: "name contains", oninput: () => refresh(true) });

  const { region, refresh } = liveRegion(async () => {
    const [tenants, text] = await Promise.all([
      api.get("/v1/tenants", { signal }),
      api.text("/metrics", { signal }),
    ]);
    const metrics = parseMetrics(text);
    const workers = metrics.by("conductor_workers", "tenant");
    const queued = metrics.by("conductor_jobs_queued", "tenant");
    const shown = tenants.filter((t) => t.name.includes(filter.value.trim()));
    return table(
      "Tenants",
      [
        { title: "Tenant", cell: (t) => h("a", { href: `#/tenants/${encodeURIComponent(t.name)}` }, t.name) },
        { title: "Status", cell: (t) => status(t.status) },
        { title: "Plan", cell: (t) => t.plan },
        { title: "Live workers", cell: (t) => workers.get(t.name) ?? 0, num: true },
        { title: "Queued jobs", cell: (t) => queued.get(t.name) ?? 0, num: true },
        { title: "Updated", cell: (t) => time(t.updatedAt) },
      ],
      shown,
      { key: (t) => t.name, empty: "No tenants." },
    );
  }, "Tenants");

  main.append(
    h("h1", {}, "Tenants"),
    h("h2", {}, "Onboard a tenant"),
    form,
    created,
    h("h2", {}, "All tenants"),
    h("p", { class: "muted" }, "Workers and queue depth come from /metrics, refreshed every few seconds."),
    h("label", { for: "filter" }, "Filter", filter),
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
