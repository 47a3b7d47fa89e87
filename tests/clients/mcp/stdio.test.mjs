// apflow mcp over stdio with the official MCP TypeScript client.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { after, before, test } from "node:test";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { apflowArgs, binary, cleanEnv, newClient, tempDb } from "./apflow.mjs";
import { cancelRunningTree, checkTools, createRunAndRead, invalidArguments } from "./flows.mjs";
import { logsFollowSetLevel } from "./logging.mjs";

let client;
let transport;
let stderr = "";

before(async () => {
  transport = new StdioClientTransport({
    command: binary,
    args: apflowArgs(tempDb(), "mcp", "--page-size", "5"),
    env: cleanEnv(),
    stderr: "pipe",
  });
  transport.stderr.on("data", (d) => { stderr += d; });
  client = newClient();
  await client.connect(transport);
});

after(async () => {
  await client?.close();
});

test("initialize negotiates 2025-11-25 and names the server", () => {
  assert.equal(client.getServerVersion().name, "apflow");
  const caps = client.getServerCapabilities();
  assert.ok(caps.tools);
  assert.ok(caps.logging);
});

test("tools are listed page by page with valid names, schemas and hints", async () => {
  await checkTools(client);
});

test("a tree is created, run with progress, and read back", async () => {
  await createRunAndRead(client);
});

test("invalid arguments give isError with the validator's message", async () => {
  await invalidArguments(client);
});

test("cancelling a waiting execute cancels the running tree", async () => {
  await cancelRunningTree(client);
});

test("after logging/setLevel, log messages at or above the level arrive, none below", async () => {
  await logsFollowSetLevel(client);
});

test("logging/setLevel accepts MCP levels and refuses others", async () => {
  assert.deepEqual(await client.setLoggingLevel("warning"), {});
  await assert.rejects(client.setLoggingLevel("loud"), /unknown log level/);
});

test("stdout carries only protocol messages; bad lines get JSON-RPC errors; EOF ends it", async () => {
  const child = spawn(binary, apflowArgs(tempDb(), "mcp"), {
    env: cleanEnv(), stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (d) => { out += d; });
  const exited = new Promise((resolve) => child.on("exit", (code) => resolve(code)));
  child.stdin.write("{not json\n");
  child.stdin.write('{"jsonrpc":"1.0","id":1,"method":"ping"}\n');
  child.stdin.write('{"jsonrpc":"2.0","id":2,"method":"tools/list"}\n');
  child.stdin.write('{"jsonrpc":"2.0","id":3,"method":"initialize","params":{"protocolVersion":"2025-03-26","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}\n');
  child.stdin.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');
  child.stdin.write('{"jsonrpc":"2.0","id":4,"method":"no/such"}\n');
  child.stdin.write('{"jsonrpc":"2.0","id":7,"method":"tools/list","params":{"cursor":"bogus"}}\n');
  child.stdin.write('[{"jsonrpc":"2.0","id":5,"method":"ping"},{"jsonrpc":"2.0","id":6,"method":"ping"}]\n');
  child.stdin.end();
  const timer = setTimeout(() => child.kill("SIGKILL"), 20000);
  assert.equal(await exited, 0);
  clearTimeout(timer);
  const lines = out.trim().split("\n").map((l) => JSON.parse(l));
  assert.equal(lines[0].error.code, -32700);
  assert.equal(lines[0].id, null);
  assert.equal(lines[1].error.code, -32600);
  assert.equal(lines[1].id, 1);
  assert.equal(lines[2].error.code, -32600, "tools/list before initialize");
  assert.equal(lines[3].result.protocolVersion, "2025-03-26");
  assert.equal(lines[4].error.code, -32601);
  assert.equal(lines[5].error.code, -32602, "an unknown cursor");
  assert.deepEqual(lines[6].map((r) => r.id), [5, 6], "2025-03-26 allows batches");
  assert.equal(lines.length, 7);
});


test("apflow info lists the mcp protocol and its command", () => {
  const out = execFileSync(binary, apflowArgs(tempDb(), "info"), { env: cleanEnv() }).toString();
  assert.match(out, /^\s+mcp\s+apflow mcp\s+MCP server/m);
});

test("bad flags exit 1 with the problem on stderr", () => {
  let failure;
  try {
    execFileSync(binary, apflowArgs(tempDb(), "mcp", "--transport", "carrier-pigeon"),
                 { env: cleanEnv(), stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    failure = e;
  }
  assert.equal(failure?.status, 1);
  assert.match(failure.stderr.toString(), /--transport/);
});
