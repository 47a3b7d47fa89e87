// apflow mcp over Streamable HTTP with the official MCP TypeScript client, plus the raw HTTP
// refusals a misbehaving client meets.
import assert from "node:assert/strict";
import net from "node:net";
import { spawnSync } from "node:child_process";
import { after, before, test } from "node:test";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { apflowArgs, binary, cleanEnv, newClient, startHttpServer, stopServer, tempDb }
  from "./apflow.mjs";
import { cancelRunningTree, checkTools, createRunAndRead, invalidArguments } from "./flows.mjs";
import { logsFollowSetLevel } from "./logging.mjs";

const TOKEN = "test-token-123";
const ACCEPT = "application/json, text/event-stream";
let server;
let client;
let transport;

before(async () => {
  server = await startHttpServer(["--token", TOKEN, "--page-size", "5", "--body-limit", "65536",
                                 "--cors-origin", "https://app.example"]);
  transport = new StreamableHTTPClientTransport(new URL(server.url), {
    requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } },
  });
  client = newClient();
  await client.connect(transport);
});

after(async () => {
  await client?.close().catch(() => {});
  if (server) await stopServer(server.child);
});

function post(body, headers = {}) {
  return fetch(server.url, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: ACCEPT,
               Authorization: `Bearer ${TOKEN}`, ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

async function rawSession() {
  const response = await post({ jsonrpc: "2.0", id: 1, method: "initialize",
    params: { protocolVersion: "2025-11-25", capabilities: {},
              clientInfo: { name: "raw", version: "1" } } });
  assert.equal(response.status, 200);
  const body = await response.json();
  assert.equal(body.result.protocolVersion, "2025-11-25");
  const id = response.headers.get("mcp-session-id");
  assert.match(id, /^[\x21-\x7e]+$/);
  return id;
}

test("the start-up line names a loopback URL and the session has an id", () => {
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
  assert.ok(transport.sessionId);
  assert.equal(transport.protocolVersion, "2025-11-25");
});

test("older protocol versions are negotiated down, unknown ones answered with ours", async () => {
  for (const [asked, got] of [["2025-06-18", "2025-06-18"], ["2025-03-26", "2025-03-26"],
                              ["2024-11-05", "2025-11-25"]]) {
    const response = await post({ jsonrpc: "2.0", id: 1, method: "initialize",
      params: { protocolVersion: asked, capabilities: {}, clientInfo: { name: "old", version: "1" } } });
    assert.equal((await response.json()).result.protocolVersion, got, asked);
  }
});

test("tools are listed page by page with valid names, schemas and hints", async () => {
  await checkTools(client);
});

test("a tree is created, run with progress (SSE), and read back", async () => {
  await createRunAndRead(client);
});

test("invalid arguments give isError with the validator's message", async () => {
  await invalidArguments(client);
});

test("cancelling a waiting execute cancels the running tree", async () => {
  await cancelRunningTree(client);
});

test("malformed JSON is a 400 with -32700", async () => {
  const response = await post("{oops", { "Mcp-Session-Id": transport.sessionId });
  assert.equal(response.status, 400);
  assert.equal((await response.json()).error.code, -32700);
  // Regression: deep nesting overflowed the stack and killed the server (the body limit here
  // is 64 KiB; the unit test tries a million levels).
  const deep = await post("[".repeat(60000), { "Mcp-Session-Id": transport.sessionId });
  assert.equal(deep.status, 400);
  assert.match((await deep.json()).error.message, /nested deeper than 128 levels/);
  assert.deepEqual(await client.ping(), {});
});

test("a wrong jsonrpc version is -32600 and an unknown method -32601", async () => {
  const session = await rawSession();
  const wrong = await post({ jsonrpc: "1.0", id: 2, method: "ping" }, { "Mcp-Session-Id": session });
  assert.equal(wrong.status, 400);
  const wrongBody = await wrong.json();
  assert.equal(wrongBody.error.code, -32600);
  assert.equal(wrongBody.id, 2);
  const unknown = await post({ jsonrpc: "2.0", id: 3, method: "no/such" },
                             { "Mcp-Session-Id": session });
  assert.equal(unknown.status, 200);
  assert.equal((await unknown.json()).error.code, -32601);
  const batch = await post([{ jsonrpc: "2.0", id: 4, method: "ping" }],
                           { "Mcp-Session-Id": session });
  assert.equal(batch.status, 400, "no batches in 2025-11-25");
});

test("a missing or wrong token is 401 with WWW-Authenticate", async () => {
  for (const auth of [undefined, "Bearer nope", "Basic dGVzdA=="]) {
    const response = await fetch(server.url, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: ACCEPT,
                 ...(auth ? { Authorization: auth } : {}) },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }),
    });
    assert.equal(response.status, 401, String(auth));
    assert.equal(response.headers.get("www-authenticate"), "Bearer");
    assert.equal((await response.json()).error, "Unauthorized");
  }
  const health = await fetch(new URL("/health", server.url));
  assert.equal(health.status, 200, "/health needs no token");
});

test("an unknown session is 404, a missing one 400, and DELETE ends a session", async () => {
  const unknown = await post({ jsonrpc: "2.0", id: 1, method: "ping" },
                             { "Mcp-Session-Id": "no-such-session" });
  assert.equal(unknown.status, 404);
  assert.equal((await unknown.json()).error.code, -32001);
  const missing = await post({ jsonrpc: "2.0", id: 1, method: "ping" });
  assert.equal(missing.status, 400);
  const session = await rawSession();
  const ping = await post({ jsonrpc: "2.0", id: 2, method: "ping" }, { "Mcp-Session-Id": session });
  assert.deepEqual((await ping.json()).result, {});
  const again = await post({ jsonrpc: "2.0", id: 9, method: "initialize",
    params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "r", version: "1" } } },
    { "Mcp-Session-Id": session });
  assert.equal(again.status, 400, "a second initialize on a session");
  assert.equal((await again.json()).error.code, -32600);
  const gone = await fetch(server.url, { method: "DELETE",
    headers: { "Mcp-Session-Id": session, Authorization: `Bearer ${TOKEN}` } });
  assert.equal(gone.status, 204);
  const after = await post({ jsonrpc: "2.0", id: 3, method: "ping" }, { "Mcp-Session-Id": session });
  assert.equal(after.status, 404);
});

test("an oversized body is 413 and the server keeps serving", async () => {
  const big = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping", params: { pad: "x".repeat(100000) } });
  const response = await post(big, { "Mcp-Session-Id": transport.sessionId });
  assert.equal(response.status, 413);
  assert.deepEqual(await client.ping(), {});
});

test("a foreign Origin is 403, a local one is served", async () => {
  const foreign = await post({ jsonrpc: "2.0", id: 1, method: "ping" },
                             { "Mcp-Session-Id": transport.sessionId, Origin: "https://evil.example" });
  assert.equal(foreign.status, 403);
  const local = await post({ jsonrpc: "2.0", id: 1, method: "ping" },
                           { "Mcp-Session-Id": transport.sessionId, Origin: "http://localhost:5173" });
  assert.equal(local.status, 200);
});

test("CORS: a configured origin gets preflight answers and response headers", async () => {
  const preflight = await fetch(server.url, { method: "OPTIONS", headers: {
    Origin: "https://app.example", "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "authorization, content-type, mcp-session-id" } });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get("access-control-allow-origin"), "https://app.example");
  assert.match(preflight.headers.get("access-control-allow-headers"), /Mcp-Session-Id/);
  const response = await post({ jsonrpc: "2.0", id: 1, method: "ping" },
                              { "Mcp-Session-Id": transport.sessionId, Origin: "https://app.example" });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("access-control-allow-origin"), "https://app.example");
  assert.match(response.headers.get("access-control-expose-headers"), /Mcp-Session-Id/);
});

test("wrong Accept is 406, wrong Content-Type 415, a bad protocol version 400, PUT 405", async () => {
  const sid = { "Mcp-Session-Id": transport.sessionId };
  assert.equal((await post({ jsonrpc: "2.0", id: 1, method: "ping" },
                           { ...sid, Accept: "application/json" })).status, 406);
  assert.equal((await post("x", { ...sid, "Content-Type": "text/plain" })).status, 415);
  assert.equal((await post({ jsonrpc: "2.0", id: 1, method: "ping" },
                           { ...sid, "MCP-Protocol-Version": "1999-01-01" })).status, 400);
  const put = await fetch(server.url, { method: "PUT", headers: { ...sid,
                                                                 Authorization: `Bearer ${TOKEN}` } });
  assert.equal(put.status, 405);
  assert.equal(put.headers.get("allow"), "GET, POST, DELETE");
});

// One request written by hand on a socket (fetch joins repeated headers into one line):
// `headers` is a list of [name, value] lines. Resolves with the status and the body.
function rawPost(headers, body) {
  const { port } = new URL(server.url);
  const head = ["POST /mcp HTTP/1.1", "Host: 127.0.0.1", `Authorization: Bearer ${TOKEN}`,
                `Content-Length: ${Buffer.byteLength(body)}`, "Connection: close",
                ...headers.map(([name, value]) => `${name}: ${value}`)].join("\r\n");
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), "127.0.0.1");
    const timer = setTimeout(() => { socket.destroy(); reject(new Error("no answer")); }, 10000);
    let text = "";
    socket.on("data", (chunk) => { text += chunk.toString(); });
    socket.on("error", reject);
    socket.on("close", () => {
      clearTimeout(timer);
      const [top, ...rest] = text.split("\r\n\r\n");
      resolve({ status: Number(top.split(" ")[1]), body: rest.join("\r\n\r\n") });
    });
    socket.write(`${head}\r\n\r\n${body}`);
  });
}

test("Accept split over two lines is one list; a session id given twice is 400", async () => {
  const ping = JSON.stringify({ jsonrpc: "2.0", id: 9, method: "ping" });
  const sid = ["Mcp-Session-Id", transport.sessionId];
  const split = await rawPost([["Content-Type", "application/json"], ["Accept", "application/json"],
                               ["Accept", "text/event-stream"], sid], ping);
  assert.equal(split.status, 200, split.body);
  assert.deepEqual(JSON.parse(split.body).result, {});
  const twice = await rawPost([["Content-Type", "application/json"], ["Accept", ACCEPT], sid,
                               ["Mcp-Session-Id", "another"]], ping);
  assert.equal(twice.status, 400);
  assert.match(JSON.parse(twice.body).error.message, /Mcp-Session-Id is given more than once/);
});

test("the TS client receives log messages after setLevel on its GET stream", async () => {
  const own = newClient();
  const ownTransport = new StreamableHTTPClientTransport(new URL(server.url), {
    requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } },
  });
  await own.connect(ownTransport);
  try {
    await logsFollowSetLevel(own);
  } finally {
    await ownTransport.terminateSession();
    await own.close();
  }
});

function getStream(headers) {
  return fetch(server.url, { headers: { Accept: "text/event-stream",
                                        Authorization: `Bearer ${TOKEN}`, ...headers } });
}

// Reads SSE events from a response body until `enough` says so; bounded by a timer.
async function readEvents(response, enough) {
  const reader = response.body.getReader();
  const timer = setTimeout(() => reader.cancel(), 20000);
  const decoder = new TextDecoder();
  let text = "";
  const events = () => text.split("\n\n").filter((e) => e.includes("data: "))
    .map((e) => JSON.parse(e.split("\n").find((l) => l.startsWith("data: ")).slice(6)));
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    if (enough(events())) break;
  }
  clearTimeout(timer);
  return { events: events(), reader };
}

test("GET /mcp opens the session's stream of log messages; DELETE ends it", async () => {
  assert.equal((await getStream({})).status, 400, "no session");
  assert.equal((await getStream({ "Mcp-Session-Id": "nope" })).status, 404);
  const session = await rawSession();
  const sid = { "Mcp-Session-Id": session };
  const wrongAccept = await getStream({ ...sid, Accept: "application/json" });
  assert.equal(wrongAccept.status, 406);
  const stream = await getStream(sid);
  assert.equal(stream.status, 200);
  assert.match(stream.headers.get("content-type"), /^text\/event-stream/);
  const setLevel = await post({ jsonrpc: "2.0", id: 2, method: "logging/setLevel",
                                params: { level: "error" } }, sid);
  assert.deepEqual((await setLevel.json()).result, {});
  const call = await post({ jsonrpc: "2.0", id: 3, method: "tools/call", params: {
    name: "apflow_task_create_tree", arguments: { tasks: [{ name: "x" }, { name: "x" }] } } }, sid);
  assert.equal((await call.json()).result.isError, true, "the answer itself stays JSON");
  const { events, reader } = await readEvents(stream, (e) => e.length > 0);
  assert.equal(events[0].method, "notifications/message");
  assert.equal(events[0].params.level, "error");
  assert.equal(events[0].params.data.tool, "apflow_task_create_tree");
  assert.ok(events.every((e) => e.id === undefined), "no responses on the GET stream");
  const gone = await fetch(server.url, { method: "DELETE",
    headers: { ...sid, Authorization: `Bearer ${TOKEN}` } });
  assert.equal(gone.status, 204);
  let timedOut = false;
  const timer = setTimeout(() => { timedOut = true; reader.cancel(); }, 20000);
  for (let i = 0; i < 1000 && !(await reader.read()).done; ++i) {}
  clearTimeout(timer);
  assert.equal(timedOut, false, "the stream ended with its session");
});

test("a client that never finishes its request head blocks no one and is dropped", async () => {
  const { port } = new URL(server.url);
  const slow = net.connect(Number(port), "127.0.0.1");
  const closed = new Promise((resolve) => slow.on("close", resolve));
  slow.on("error", () => {});
  slow.write("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: appl");
  // Others are served meanwhile.
  assert.deepEqual(await client.ping(), {});
  const started = Date.now();
  const timer = setTimeout(() => slow.destroy(), 20000);
  await closed;
  clearTimeout(timer);
  assert.ok(Date.now() - started < 15000, "the server closed the stalled connection itself");
});

test("a port already in use is exit code 2 naming the address", () => {
  const { port } = new URL(server.url);
  const second = spawnSync(binary, apflowArgs(tempDb(), "mcp", "--transport", "streamable-http",
                                              "--port", port),
                           { env: cleanEnv(), timeout: 20000 });
  assert.equal(second.status, 2);
  assert.match(second.stderr.toString(), new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}`));
});

test("SIGTERM lets the call in flight finish, then the server exits 0", async () => {
  const call = client.callTool({ name: "testkit_sleep", arguments: { ms: 1500 } });
  await new Promise((r) => setTimeout(r, 300));
  const exited = stopServer(server.child);
  const result = await call;
  assert.equal(result.isError, false, JSON.stringify(result.content));
  assert.equal(await exited, 0);
  server = undefined;
});
