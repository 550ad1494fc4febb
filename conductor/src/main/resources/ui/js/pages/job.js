// One job with its timeline: created, dispatched, started, finished, attempts, worker, error and result.

import { api } from "../api.js";
import { errorNotice, facts, fill, h, notice, seconds, status, time } from "../dom.js";
import { tenantLink } from "../views.js";

export async function render({ main, params, signal, every }) {
  const [tenant, id] = params;
  const path = `/v1/tenants/${encodeURIComponent(tenant)}/jobs/${encodeURIComponent(id)}`;
  const body = h("section", { "aria-label": "Job" });
  const outcome = h("div");
  main.append(h("h1", {}, `Job ${id}`), outcome, body);

  const show = async () => {
    let job;
    try {
      job = await api.get(path, { signal });
    } catch (error) {
      body.replaceChildren(errorNotice(error));
      return;
    }
    const between = (from, to) => (from && to ? seconds((Date.parse(to) - Date.parse(from)) / 1000) : "—");
    fill(
      body,
      facts([
        ["Tenant", tenantLink(tenant)],
        ["Type", job.type],
        ["Status", status(job.status)],
        ["Affinity key", job.affinityKey],
        ["Location", job.location],
        ["Attempts", job.attempts],
        ["Worker", job.workerId ? h("a", { href: `#/workers/${encodeURIComponent(job.workerId)}`, class: "mono" }, job.workerId) : "—"],
      ]),
      h("h2", {}, "Timeline"),
      h(
        "ol",
        { class: "events", id: "timeline" },
        h("li", {}, "Created ", time(job.createdAt)),
        job.dispatchedAt ? h("li", {}, "Dispatched ", time(job.dispatchedAt), ` (queued ${between(job.createdAt, job.dispatchedAt)})`) : h("li", {}, "Not dispatched yet"),
        job.startedAt ? h("li", {}, "Started ", time(job.startedAt), ` (waited ${between(job.createdAt, job.startedAt)})`) : h("li", {}, "Not started"),
        job.finishedAt ? h("li", {}, "Finished ", status(job.status), " ", time(job.finishedAt), ` (ran ${between(job.startedAt, job.finishedAt)})`) : null,
      ),
      job.error ? [h("h2", {}, "Error"), h("pre", {}, job.error)] : null,
      job.result !== undefined || job.resultJson
        ? [h("h2", {}, "Result"), h("pre", { id: "result" }, job.resultJson ?? JSON.stringify(job.result, null, 2))]
        : null,
      job.status === "FAILED"
        ? h("button", {
            type: "button",
            onclick: async () => {
              try {
                const again = await api.post(`${path}/rerun`);
                outcome.replaceChildren(notice(["Re-run as ", h("a", { href: `#/tenants/${encodeURIComponent(tenant)}/jobs/${again.id}` }, again.id)]));
              } catch (error) {
                outcome.replaceChildren(errorNotice(error));
              }
            },
          }, "Re-run")
        : null,
    );
    return job;
  };
  const job = await show();
  if (job && !["SUCCEEDED", "FAILED", "CANCELLED"].includes(job.status)) {
    every(2000, async () => {
      if (!body.contains(document.activeElement)) await show();
    });
  }
}
