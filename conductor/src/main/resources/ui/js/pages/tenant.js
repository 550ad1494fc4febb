// One tenant: its facts, resources, actions, operations and live workers.

import { api, withQuery } from "../api.js";
import { errorNotice, facts, fill, h, liveRegion, notice, status, time } from "../dom.js";
import { operationTable, workerTable } from "../views.js";

const ENDED = new Set(["DELETING", "DELETED"]);

export async function render({ main, params, signal, every }) {
  const [name] = params;
  const path = `/v1/tenants/${encodeURIComponent(name)}`;
  const outcome = h("div", { id: "action-outcome", tabindex: "-1" });
  const actions = h("section", { "aria-label": "Actions", id: "actions" });
  let shownStatus = null;
  let actionTaken = false;

  const started = (result) => {
    outcome.replaceChildren(notice([
      `${result.name} is ${result.status}. `,
      h("a", { href: `#/operations/${encodeURIComponent(result.operationId)}` }, "Follow the operation"),
    ]));
  };
  const act = (task) => async (event) => {
    event?.preventDefault();
    try {
      await task();
    } catch (error) {
      outcome.replaceChildren(errorNotice(error));
    }
    actionTaken = true;
    await summary.refresh(true);
  };

  function renderActions(tenant) {
    const buttons = [];
    const button = (label, onclick, options = {}) =>
      h("button", { type: "button", onclick: act(onclick), ...options }, label);
    if (tenant.status === "READY") buttons.push(button("Suspend", () => api.post(`${path}/suspend`)));
    if (tenant.status === "SUSPENDED") buttons.push(button("Resume", () => api.post(`${path}/resume`)));
    if (tenant.status === "FAILED") buttons.push(button("Retry", async () => started(await api.post(`${path}/retry`))));
    if (!ENDED.has(tenant.status)) {
      buttons.push(button("Rotate API key…", () => confirmRotate(), { id: "rotate" }));
      buttons.push(button("Delete tenant…", () => confirmDelete(), { class: "danger", id: "delete" }));
    }
    const plan = h("input", { id: "plan", name: "plan", value: tenant.plan, list: "plans", required: true });
    const update = tenant.status === "READY"
      ? h(
          "form",
          {
            class: "inline",
            onsubmit: act(async () => {
              const result = await api.patch(path, { plan: plan.value.trim() });
              if (result.operationId) started(result);
              else outcome.replaceChildren(notice(`${name} is already on plan ${result.plan}.`));
            }),
          },
          h("label", { for: "plan" }, "Plan", plan),
          h("datalist", { id: "plans" }, h("option", { value: "standard" }), h("option", { value: "dev" })),
          h("button", { type: "submit" }, "Update plan"),
        )
      : null;
    fill(actions, h("h2", {}, "Actions"), h("div", { class: "actions" }, buttons), update, outcome);
  }

  function confirmRotate() {
    outcome.replaceChildren(notice([
      h("p", {}, "A new key replaces the current one, which stops working at once."),
      h("button", {
        type: "button",
        id: "confirm-rotate",
        onclick: act(async () => {
          const rotated = await api.post(`${path}/api-keys`);
          outcome.replaceChildren(notice([
            h("p", {}, `The new API key of ${rotated.name}, shown only this once:`),
            h("p", {}, h("code", { class: "secret", id: "api-key" }, rotated.apiKey)),
          ]));
        }),
      }, "Rotate the key now"),
      " ",
      h("button", { type: "button", onclick: () => outcome.replaceChildren() }, "Cancel"),
    ]));
    outcome.querySelector("#confirm-rotate").focus();
  }

  function confirmDelete() {
    const typed = h("input", { id: "confirm-name", autocomplete: "off" });
    outcome.replaceChildren(notice(h(
      "form",
      {
        class: "inline",
        onsubmit: act(async () => {
          if (typed.value !== name) {
            throw new Error(`Type ${name} to confirm`);
          }
          started(await api.delete(path));
        }),
      },
      h("p", {}, `Deleting stops ${name}'s workers, cancels its unfinished jobs and destroys its resources.`),
      h("label", { for: "confirm-name" }, `Type ${name} to confirm`, typed),
      h("button", { type: "submit", class: "danger", id: "confirm-delete" }, "Delete tenant"),
      h("button", { type: "button", onclick: () => outcome.replaceChildren() }, "Cancel"),
    ), { error: true }));
    typed.focus();
  }

  const summary = liveRegion(async () => {
    const tenant = await api.get(path, { signal });
    if (tenant.status !== shownStatus && (actionTaken || !actions.contains(document.activeElement))) {
      shownStatus = tenant.status;
      renderActions(tenant);
      if (actionTaken) outcome.focus(); // the button pressed may be gone: keep the keyboard's place
    }
    actionTaken = false;
    const resources = Object.entries(tenant.resources ?? {});
    return [
      facts([
        ["Status", status(tenant.status)],
        ["Plan", tenant.plan],
        ["Created", time(tenant.createdAt)],
        ["Updated", time(tenant.updatedAt)],
        ["Error", tenant.error ?? undefined],
        ["Latest operation", tenant.operationId ? h("a", { href: `#/operations/${tenant.operationId}` }, tenant.operationId) : "—"],
        ["Jobs", h("a", { href: withQuery("#/jobs", { tenant: name }) }, "Search this tenant's jobs")],
      ]),
      h("h2", {}, "Resources"),
      resources.length
        ? resources.map(([group, values]) => [h("h3", {}, group), facts(Object.entries(values))])
        : h("p", { class: "muted" }, "None."),
    ];
  }, "Tenant");
  const operations = liveRegion(async () => {
    const page = await api.get(withQuery("/v1/operations", { tenant: name, limit: 10 }), { signal });
    return [
      operationTable(page.items, { showTenant: false }),
      h("a", { href: withQuery("#/operations", { tenant: name }) }, "All operations of this tenant"),
    ];
  }, "Operations");
  const problems = h("div");
  const workers = liveRegion(async () => {
    const list = await api.get(withQuery("/v1/workers", { tenant: name }), { signal }).catch((error) => {
      if (error.status === 404) return []; // a deleted tenant has no live workers
      throw error;
    });
    return workerTable(list, { showTenant: false, onChange: () => workers.refresh(true), problems });
  }, "Live workers");

  main.append(
    h("h1", {}, `Tenant ${name}`),
    summary.region,
    actions,
    h("h2", {}, "Operations"),
    operations.region,
    h("h2", {}, "Live workers"),
    problems,
    workers.region,
  );
  await Promise.all([summary.refresh(true), operations.refresh(true), workers.refresh(true)]);
  every(3000, () => {
    summary.refresh();
    operations.refresh();
    workers.refresh();
  });
}
