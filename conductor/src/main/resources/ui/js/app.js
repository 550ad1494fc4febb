// The console's shell: sign-in, a hash router (#/tenants/acme) so the server serves one page, and
// per-page cleanup (open streams aborted, refresh timers stopped) on every navigation.

import { api, onTokenRefused, session } from "./api.js";
import { h, notice } from "./dom.js";
import * as overview from "./pages/overview.js";
import * as tenants from "./pages/tenants.js";
import * as tenant from "./pages/tenant.js";
import * as operations from "./pages/operations.js";
import * as operation from "./pages/operation.js";
import * as workers from "./pages/workers.js";
import * as worker from "./pages/worker.js";
import * as jobs from "./pages/jobs.js";
import * as job from "./pages/job.js";

const ROUTES = [
  [/^\/overview$/, overview],
  [/^\/tenants$/, tenants],
  [/^\/tenants\/([^/]+)$/, tenant],
  [/^\/tenants\/([^/]+)\/jobs\/([^/]+)$/, job],
  [/^\/operations$/, operations],
  [/^\/operations\/([^/]+)$/, operation],
  [/^\/workers$/, workers],
  [/^\/workers\/([^/]+)$/, worker],
  [/^\/jobs$/, jobs],
];

const main = document.getElementById("main");
const nav = document.getElementById("nav");
let current = null;

function leave() {
  if (current) {
    current.abort.abort();
    current.timers.forEach(clearInterval);
    current = null;
  }
}

async function route() {
  leave();
  const [path, search] = (location.hash.slice(1) || "/overview").split("?");
  if (!session.token()) {
    return signIn();
  }
  nav.hidden = false;
  const match = ROUTES.map(([pattern, page]) => [pattern.exec(path), page]).find(([m]) => m);
  const context = {
    main,
    params: match ? match[0].slice(1).map(decodeURIComponent) : [],
    query: new URLSearchParams(search ?? ""),
    abort: new AbortController(),
    timers: [],
  };
  context.signal = context.abort.signal;
  context.every = (ms, task) => context.timers.push(setInterval(task, ms));
  current = context;
  for (const link of nav.querySelectorAll("a")) {
    const section = link.getAttribute("href").slice(1);
    if (path === section || path.startsWith(`${section}/`)) {
      link.setAttribute("aria-current", "page");
    } else {
      link.removeAttribute("aria-current");
    }
  }
  main.replaceChildren();
  if (!match) {
    main.append(h("h1", {}, "Not found"), notice(`Nothing at ${path}.`, { error: true }));
    return;
  }
  await match[1].render(context);
  document.title = `${main.querySelector("h1")?.textContent ?? "Console"} · Conductor`;
}

function signIn(message) {
  nav.hidden = true;
  document.title = "Sign in · Conductor";
  const token = h("input", {
    type: "password", id: "token", name: "token", autocomplete: "off", required: true, "aria-describedby": "token-help",
  });
  const problem = h("div", { id: "sign-in-problem" });
  if (message) problem.append(notice(message, { error: true }));
  const form = h(
    "form",
    {
      id: "sign-in",
      method: "post",
      onsubmit: async (event) => {
        event.preventDefault();
        session.signIn(token.value.trim());
        try {
          // Any operator endpoint tells whether the token is the conductor's.
          await api.get("/v1/operations?limit=1");
          route();
        } catch (error) {
          session.signOut();
          const detail = error.status === 401
            ? "The conductor refused this token. Use the operator token (CONDUCTOR_ADMIN_TOKEN, or ~/.conductor/admin-token on the conductor's machine)."
            : error.status === 429
              ? `Too many failed sign-ins from this address. Retry after ${error.retryAfter ?? "a while"} s.`
              : `The conductor did not answer: ${error.detail ?? error.message}`;
          problem.replaceChildren(notice(detail, { error: true }));
          token.focus();
        }
      },
    },
    h("label", { for: "token" }, "Operator token", token),
    h("p", { id: "token-help", class: "muted" }, "Kept in this tab only (sessionStorage) and sent as a bearer header; Sign out forgets it."),
    h("button", { type: "submit" }, "Sign in"),
  );
  main.replaceChildren(h("h1", {}, "Sign in"), problem, form);
  token.focus();
}

document.getElementById("sign-out").addEventListener("click", () => {
  session.signOut();
  leave();
  location.hash = "#/overview";
  signIn();
});

onTokenRefused(() => {
  if (nav.hidden) {
    return; // signing in: the form says why itself
  }
  session.signOut();
  leave();
  signIn("The conductor no longer accepts the token: sign in again.");
});

window.addEventListener("hashchange", () => route().then(() => main.focus({ preventScroll: true })));
route();
