// The explorer's JSON API as the page uses it: the bearer token from the token field (kept for
// this browser tab only), the server's {"error": ...} answers as exceptions, and the live event
// stream read with fetch, since EventSource cannot send an Authorization header.
const API = new URL("api/", document.baseURI);
const TOKEN_KEY = "apflow.explorer.token";
let token = sessionStorage.getItem(TOKEN_KEY) ?? "";

export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

export function getToken() {
  return token;
}

export function setToken(value) {
  token = value.trim();
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

function headers(extra = {}) {
  return token ? { ...extra, Authorization: `Bearer ${token}` } : extra;
}

async function parse(response) {
  const text = await response.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = { error: text };
  }
  if (!response.ok) {
    const message = body?.error ?? `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, message, body);
  }
  return body;
}

export async function getJson(path) {
  return parse(await fetch(new URL(path, API), { headers: headers(), cache: "no-store" }));
}

export async function postJson(path, value) {
  const response = await fetch(new URL(path, API), {
    method: "POST",
    headers: headers({ "Content-Type": "application/json" }),
    body: JSON.stringify(value),
  });
  return parse(response);
}

// Calls a module: {ok, output | error, duration_ms}.
export function callModule(id, input) {
  return postJson(`modules/${encodeURIComponent(id)}/call`, input);
}

// One "event:"/"data:" block of a text/event-stream.
function parseBlock(block) {
  let type = "message";
  const data = [];
  for (const line of block.split("\n")) {
    const match = /^(event|data):\s?(.*)$/.exec(line);
    if (match?.[1] === "event") type = match[2];
    else if (match) data.push(match[2]);
  }
  return data.length ? { type, data: JSON.parse(data.join("\n")) } : null;
}

// Reads Server-Sent Events from the API until the server ends the stream (resolves) or it
// fails (rejects; an ApiError for a refusal). onEvent(type, data) runs per event.
export async function readEvents(path, onEvent, signal) {
  const response = await fetch(new URL(path, API), {
    headers: headers({ Accept: "text/event-stream" }), signal, cache: "no-store",
  });
  if (!response.ok) await parse(response);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value.replaceAll("\r\n", "\n");
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const event = parseBlock(buffer.slice(0, cut));
      buffer = buffer.slice(cut + 2);
      if (event) onEvent(event.type, event.data);
    }
  }
}
