// One operation and its live event stream (server-sent events read with fetch: the token stays in
// a header), ending with its outcome and the tenant's status.

import { api, followEvents } from "../api.js";
import { errorNotice, facts, h, notice, status, time } from "../dom.js";
import { tenantLink } from "../views.js";

export async function render({ main, params, signal }) {
  const [id] = params;
  const path = `/v1/operations/${encodeURIComponent(id)}`;
  const summary = h("section", { "aria-label": "Operation" });
  const events = h("ol", { class: "events", id: "events", "aria-live": "polite" });
  const end = h("div", { id: "operation-end", role: "status" });
  const cancel = h("div");

  const show = async () => {
    const operation = await api.get(path, { signal });
    summary.replaceChildren(facts([
      ["Tenant", tenantLink(operation.tenant)],
      ["Kind", operation.kind + (operation.plan ? ` → plan ${operation.plan}` : "")],
      ["Status", status(operation.status)],
      ["Attempts", operation.attempts],
      ["Created", time(operation.createdAt)],
      ["Updated", time(operation.updatedAt)],
      ["Error", operation.error ?? undefined],
    ]));
    const ended = ["SUCCEEDED", "FAILED", "CANCELLED"].includes(operation.status);
    cancel.replaceChildren(
      ended || operation.cancelRequested
        ? ""
        : h("button", {
            type: "button",
            onclick: async () => {
              try {
                await api.post(`${path}/cancel`);
                await show(); // QUEUED: cancelled at once; RUNNING: cancel requested
              } catch (error) {
                cancel.replaceChildren(errorNotice(error));
              }
            },
          }, "Cancel operation"),
    );
    return operation;
  };

  main.append(h("h1", {}, `Operation ${id}`), summary, cancel, h("h2", {}, "Events"), events, end);
  let operation;
  try {
    operation = await show();
  } catch (error) {
    main.append(errorNotice(error));
    return;
  }
  follow(operation.tenant);

  async function follow(tenant) {
    try {
      await followEvents(`${path}/events`, (name, data) => {
        if (name === "progress") {
          events.append(h("li", {}, time(data.at), " ", h("span", { class: "level" }, data.level), " ", data.message));
        } else if (name === "end") {
          end.replaceChildren(notice([
            "Ended: ", status(data.status), data.error ? ` (${data.error})` : "",
          ], { error: data.status !== "SUCCEEDED" }));
        }
      }, signal);
      await show();
      const now = await api.get(`/v1/tenants/${encodeURIComponent(tenant)}`, { signal });
      end.append(h("p", { id: "tenant-now" }, "Tenant ", tenantLink(tenant), " is now ", status(now.status), "."));
    } catch (error) {
      if (error.name === "AbortError") return;
      end.replaceChildren(errorNotice(error), h("button", {
        type: "button",
        onclick: () => { events.replaceChildren(); end.replaceChildren(); follow(tenant); },
      }, "Reconnect"));
    }
  }
}
