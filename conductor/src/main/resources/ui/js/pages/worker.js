// One worker: its row, a Drain button while it lives, and its output on whichever runtime it runs.

import { api } from "../api.js";
import { errorNotice, facts, h, liveRegion, status, time } from "../dom.js";
import { tenantLink } from "../views.js";

export async function render({ main, params, signal, every }) {
  const [id] = params;
  const path = `/v1/workers/${encodeURIComponent(id)}`;
  const problems = h("div");
  const summary = liveRegion(async () => {
    const w = await api.get(path, { signal });
    return [
      facts([
        ["Tenant", tenantLink(w.tenant)],
        ["State", status(w.state)],
        ["Affinity key", w.affinityKey],
        ["Runtime", w.runtime],
        ["In flight / capacity", `${w.inFlight} / ${w.capacity}`],
        ["Generation", w.generation],
        ["Started", time(w.startedAt)],
        ["Last activity", time(w.lastActivityAt)],
        ["Stop reason", w.stopReason],
        ["Location", w.location],
        ["Egress address", w.egressAddress],
      ]),
      ["STARTING", "READY"].includes(w.state)
        ? h("button", {
            type: "button",
            id: "drain",
            onclick: async () => {
              try {
                await api.post(`${path}/drain`);
              } catch (error) {
                problems.replaceChildren(errorNotice(error));
              }
              summary.refresh(true);
            },
          }, "Drain")
        : null,
    ];
  }, "Worker");
  const logs = liveRegion(async () => h("pre", { id: "logs" }, (await api.text(`${path}/logs?tail=500`, { signal })) || "(no output yet)"), "Logs");
  main.append(h("h1", {}, `Worker ${id}`), problems, summary.region, h("h2", {}, "Logs (last 500 lines)"), logs.region);
  await Promise.all([summary.refresh(true), logs.refresh(true)]);
  every(3000, () => {
    summary.refresh();
    logs.refresh();
  });
}
