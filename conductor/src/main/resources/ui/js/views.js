// Tables more than one page shows: workers, operations and jobs, each row linking to its page.

import { api, withQuery } from "./api.js";
import { errorNotice, h, status, table, time } from "./dom.js";

const enc = encodeURIComponent;

export function tenantLink(name) {
  return name ? h("a", { href: `#/tenants/${enc(name)}` }, name) : "—";
}

export function operationTable(operations, { showTenant = true } = {}) {
  return table(
    "Operations",
    [
      { title: "Operation", cell: (o) => h("a", { href: `#/operations/${enc(o.id)}` }, o.id.slice(0, 8)) },
      showTenant && { title: "Tenant", cell: (o) => tenantLink(o.tenant) },
      { title: "Kind", cell: (o) => o.kind + (o.plan ? ` → ${o.plan}` : "") },
      { title: "Status", cell: (o) => [status(o.status), o.cancelRequested ? " (cancel requested)" : ""] },
      { title: "Attempts", cell: (o) => o.attempts, num: true },
      { title: "Created", cell: (o) => time(o.createdAt) },
      { title: "Error", cell: (o) => o.error },
    ].filter(Boolean),
    operations,
    { key: (o) => o.id, empty: "No operations." },
  );
}

const LIVE = new Set(["STARTING", "READY"]);

/** Workers with a Drain button each live one has; onChange runs after a drain. */
export function workerTable(workers, { showTenant = true, onChange, problems } = {}) {
  return table(
    "Workers",
    [
      { title: "Worker (GUID)", cell: (w) => h("a", { href: `#/workers/${enc(w.id)}`, class: "mono" }, w.id) },
      showTenant && { title: "Tenant", cell: (w) => tenantLink(w.tenant) },
      { title: "Affinity key", cell: (w) => w.affinityKey },
      { title: "Runtime", cell: (w) => w.runtime },
      { title: "State", cell: (w) => status(w.state) },
      { title: "In flight / capacity", cell: (w) => `${w.inFlight} / ${w.capacity}`, num: true },
      { title: "Generation", cell: (w) => w.generation, num: true },
      { title: "Started", cell: (w) => time(w.startedAt) },
      { title: "Last activity", cell: (w) => time(w.lastActivityAt) },
      { title: "Stop reason", cell: (w) => w.stopReason },
      {
        title: "Actions",
        cell: (w) => [
          h("a", { href: `#/workers/${enc(w.id)}` }, "Logs"),
          LIVE.has(w.state)
            ? [" ", h("button", {
                type: "button",
                "aria-label": `Drain worker ${w.id}`,
                onclick: async () => {
                  try {
                    await api.post(`/v1/workers/${enc(w.id)}/drain`);
                  } catch (error) {
                    problems?.replaceChildren(errorNotice(error));
                  }
                  onChange?.();
                },
              }, "Drain")]
            : null,
        ],
      },
    ].filter(Boolean),
    workers,
    { key: (w) => w.id, empty: "No workers." },
  );
}

export function jobTable(tenant, jobs) {
  return table(
    "Jobs",
    [
      { title: "Job", cell: (j) => h("a", { href: `#/tenants/${enc(tenant)}/jobs/${enc(j.id)}`, class: "mono" }, j.id) },
      { title: "Type", cell: (j) => j.type },
      { title: "Status", cell: (j) => status(j.status) },
      { title: "Affinity key", cell: (j) => j.affinityKey },
      { title: "Attempts", cell: (j) => j.attempts, num: true },
      { title: "Worker", cell: (j) => (j.workerId ? h("a", { href: `#/workers/${enc(j.workerId)}`, class: "mono" }, j.workerId.slice(0, 8)) : null) },
      { title: "Created", cell: (j) => time(j.createdAt) },
      { title: "Finished", cell: (j) => time(j.finishedAt) },
    ],
    jobs,
    { key: (j) => j.id, empty: "No jobs match." },
  );
}

/**
 * A tenant's name, typed: suggestions are the first names with that prefix, from the server
 * (GET /v1/tenants?namePrefix=), so it stays quick with 10,000 tenants.
 */
export function tenantPicker(selected, { signal, any = "Choose a tenant" } = {}) {
  const names = h("datalist", { id: "tenant-names" });
  const suggest = async () => {
    try {
      const page = await api.get(withQuery("/v1/tenants", { namePrefix: input.value.trim(), limit: 20 }), { signal });
      names.replaceChildren(...page.items.map((t) => h("option", { value: t.name })));
    } catch {
      // suggestions only: the typed name still works
    }
  };
  const input = h("input", {
    name: "tenant",
    id: "tenant",
    value: selected ?? "",
    list: "tenant-names",
    placeholder: any,
    autocomplete: "off",
    oninput: suggest,
  });
  suggest();
  return [input, names];
}
