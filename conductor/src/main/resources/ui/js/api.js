// The conductor's HTTP API as the console calls it: the operator token from sessionStorage, sent as
// a bearer header only (never in a URL), and every refusal as an ApiError with the problem's detail.

const TOKEN_KEY = "conductor.operatorToken";

export const session = {
  token: () => sessionStorage.getItem(TOKEN_KEY),
  signIn: (token) => sessionStorage.setItem(TOKEN_KEY, token),
  signOut: () => sessionStorage.removeItem(TOKEN_KEY),
};

export class ApiError extends Error {
  constructor(status, detail, retryAfter) {
    super(`${status}: ${detail}`);
    this.status = status;
    this.detail = detail;
    this.retryAfter = retryAfter;
  }
}

/** Listeners told when the conductor refuses the token (401): the console signs out. */
const refusedListeners = [];
export function onTokenRefused(listener) {
  refusedListeners.push(listener);
}

export async function request(method, path, { body, accept = "application/json", signal } = {}) {
  const headers = { Authorization: `Bearer ${session.token() ?? ""}`, Accept: accept };
  const init = { method, headers, signal, cache: "no-store" };
  if (method !== "GET") {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body ?? {});
  }
  const response = await fetch(path, init);
  if (!response.ok) {
    let detail = response.statusText;
    try {
      const problem = await response.json();
      detail = problem.detail ?? problem.title ?? detail;
    } catch {
      // Not a problem+json answer (a proxy's page): the status text says enough.
    }
    const error = new ApiError(response.status, detail, response.headers.get("Retry-After"));
    if (response.status === 401) {
      refusedListeners.forEach((listener) => listener(error));
    }
    throw error;
  }
  return response;
}

export const api = {
  get: async (path, options) => (await request("GET", path, options)).json(),
  text: async (path, options) =>
    (await request("GET", path, { ...options, accept: "text/plain" })).text(),
  post: async (path, body) => (await request("POST", path, { body })).json(),
  patch: async (path, body) => (await request("PATCH", path, { body })).json(),
  delete: async (path) => (await request("DELETE", path)).json(),
};

/** A path with its query, leaving out empty values. */
export function withQuery(path, query) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") {
      params.set(name, value);
    }
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/**
 * Reads a server-sent event stream with fetch (EventSource cannot send the bearer header) and calls
 * onEvent(name, data) per event; resolves when the server ends the stream.
 */
export async function followEvents(path, onEvent, signal) {
  const response = await request("GET", path, { accept: "text/event-stream", signal });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      return;
    }
    buffer += value.replace(/\r\n?/g, "\n");
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const event = parseEvent(block);
      if (event) {
        onEvent(event.name, event.data);
      }
    }
  }
}

function parseEvent(block) {
  let name = "message";
  const data = [];
  for (const line of block.split("\n")) {
    if (line === "" || line.startsWith(":")) {
      continue;
    }
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) {
      value = value.slice(1);
    }
    if (field === "event") {
      name = value;
    } else if (field === "data") {
      data.push(value);
    }
  }
  return data.length ? { name, data: JSON.parse(data.join("\n")) } : null;
}
