// Workers, live (refreshed every two seconds) and, on request, the ended ones; per tenant or all.

import { api, withQuery } from "../api.js";
import { h, liveRegion } from "../dom.js";
import { tenantPicker, workerTable } from "../views.js";

export async function render({ main, query, signal, every }) {
  const tenant = query.get("tenant") ?? "";
  const all = query.get("all") === "true";
  const form = h(
    "form",
    {
      class: "inline",
      onsubmit: (event) => {
        event.preventDefault();
        const data = new FormData(event.target);
        location.hash = withQuery("#/workers", { tenant: data.get("tenant"), all: data.get("all") ? "true" : "" });
      },
    },
    h("label", { for: "tenant" }, "Tenant", tenantPicker(tenant, { signal, any: "every tenant" })),
    h("label", { class: "check", for: "all" }, h("input", { type: "checkbox", name: "all", id: "all", checked: all }), " include ended workers"),
    h("button", { type: "submit" }, "Show"),
  );
  const problems = h("div");
  const workers = liveRegion(async () => {
    const list = await api.get(withQuery("/v1/workers", { tenant, all: all ? "true" : "" }), { signal });
    return workerTable(list, { onChange: () => workers.refresh(true), problems });
  }, "Workers");
  main.append(h("h1", {}, tenant ? `Workers of ${tenant}` : "Workers"), form, problems, workers.region);
  await workers.refresh(true);
  every(2000, workers.refresh);
}
