// `apflow serve` driven by the A2A JavaScript SDK (@a2a-js/sdk, A2A 1.0) and by raw JSON-RPC:
// the agent card, running a tree (send and stream), reading and cancelling tasks, and the
// errors a misbehaving client meets.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, test } from "node:test";
import { TaskState } from "@a2a-js/sdk";
import { apflowArgs, binary, cleanEnv, tempDb } from "../apflow.mjs";
import { connect, outputOf, request, rpc, startServer, stopServer, waitFor } from "./server.mjs";

const TOKEN = "a2a-test-token";
const AUTH = { Authorization: `Bearer ${TOKEN}` };
let server;
let client;

before(async () => {
  server = await startServer(["--token", TOKEN, "--body-limit", "65536"]);
  client = await connect(server.url, TOKEN);
});

after(async () => {
  if (server) assert.equal(await stopServer(server.child), 0, server.stderr());
});

// Runs a module through A2A and returns its output (the task must complete).
async function call(skill, input) {
  const task = await client.sendMessage(request(skill, input));
  assert.equal(task.status.state, TaskState.TASK_STATE_COMPLETED, JSON.stringify(task.status));
  return outputOf(task);
}

function tree(prefix, slowMs) {
  return {
    tasks: [
      { id: `${prefix}root`, name: `${prefix}root`, params: { executor_id: "noop_executor" } },
      { id: `${prefix}a`, name: `${prefix}a`, parent_id: `${prefix}root`,
        params: { executor_id: slowMs ? "record_executor" : "passthrough_executor" },
        inputs: slowMs ? { sleep_ms: slowMs } : { city: "Lima" } },
    ],
  };
}

test("the start-up line names a loopback URL", () => {
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
});

test("apflow info lists the a2a protocol plugin", () => {
  const info = spawnSync(binary, apflowArgs(tempDb(), "info"),
                         { env: cleanEnv(), encoding: "utf8", timeout: 20000 });
  assert.equal(info.status, 0, info.stderr);
  assert.match(info.stdout, /^\s*a2a\s+\S+\s+ABI \S+\s+loaded\s+\S*a2a_protocol\.so$/m);
});

test("a bad flag is a usage error naming it", () => {
  const run = spawnSync(binary, apflowArgs(tempDb(), "serve", "--port", "99999"),
                        { env: cleanEnv(), encoding: "utf8", timeout: 20000 });
  assert.equal(run.status, 1);
  assert.match(run.stderr, /apflow serve: .*--port/);
});

test("the agent card lists one skill per module, without needing the token", async () => {
  for (const path of [".well-known/agent-card.json", ".well-known/agent.json"]) {
    const response = await fetch(server.url + path);
    assert.equal(response.status, 200, path);
  }
  const card = await (await fetch(server.url + ".well-known/agent-card.json")).json();
  assert.equal(card.supportedInterfaces[0].url, server.url);
  assert.equal(card.supportedInterfaces[0].protocolBinding, "JSONRPC");
  assert.equal(card.capabilities.streaming, true);
  assert.ok(card.securitySchemes.bearerAuth, "a token-protected server says so");
  const skills = Object.fromEntries(card.skills.map((s) => [s.id, s]));
  const create = skills["apflow.task.create_tree"];
  assert.ok(create, "apflow.task.create_tree is a skill");
  assert.ok(create.description.length > 0);
  assert.ok(create.tags.length > 0);
  assert.deepEqual(create.inputModes, ["application/json"]);
  assert.ok(skills["testkit.sleep"], "the testkit plugin's modules are skills too");
  const sdkCard = await client.getAgentCard();
  assert.equal(sdkCard.skills.length, card.skills.length);
  const legacy = await (await fetch(server.url + ".well-known/agent.json")).json();
  assert.equal(legacy.protocolVersion, "0.3.0");
  assert.equal(legacy.url, server.url);
});

test("send: a tree is created, executed with wait, and its result read back", async () => {
  const created = await call("apflow.task.create_tree", tree("s_"));
  assert.equal(created.root_task_id, "s_root");
  assert.equal(created.task_count, 2);
  const run = await call("apflow.task.execute", { task_id: "s_root", wait: true });
  assert.equal(run.status, "completed");
  const task = await call("apflow.task.get", { task_id: "s_a" });
  assert.equal(task.status, "completed");
  assert.equal(task.result.city, "Lima");
});

test("a module error fails the task with the engine's message", async () => {
  const task = await client.sendMessage(request("apflow.task.create_tree", { tasks: "no" }));
  assert.equal(task.status.state, TaskState.TASK_STATE_FAILED);
  const parts = task.status.message.parts;
  assert.match(parts[0].content.value, /tasks/);
  assert.equal(parts[1].content.value.code, "SCHEMA_VALIDATION_ERROR");
});

test("stream: working, progress from the tree, an artifact, then completed", async () => {
  await call("apflow.task.create_tree", tree("st_"));
  const events = [];
  for await (const event of client.sendMessageStream(
    request("apflow.task.execute", { task_id: "st_root", wait: true }))) {
    events.push(event);
  }
  const kinds = events.map((e) => e.payload?.$case ?? Object.keys(e)[0]);
  assert.equal(kinds[0], "task", JSON.stringify(kinds));
  const first = events[0].payload?.value ?? events[0];
  assert.equal(first.status.state, TaskState.TASK_STATE_WORKING);
  const updates = events.slice(1).map((e) => e.payload ?? { $case: Object.keys(e)[0] });
  const progress = updates.filter((u) => u.$case === "statusUpdate" &&
                                         u.value.status.state === TaskState.TASK_STATE_WORKING);
  assert.ok(progress.some((u) => /task_completed 'st_a'/.test(u.value.status.message.parts[0]
    .content.value)), JSON.stringify(progress));
  const artifact = updates.find((u) => u.$case === "artifactUpdate");
  assert.ok(artifact, JSON.stringify(kinds));
  assert.equal(artifact.value.artifact.parts[0].content.value.status, "completed");
  const last = updates.at(-1);
  assert.equal(last.$case, "statusUpdate");
  assert.equal(last.value.status.state, TaskState.TASK_STATE_COMPLETED);
  // The task is kept: GetTask reads it back, with the output.
  const got = await client.getTask({ tenant: "", id: first.id, historyLength: undefined });
  assert.equal(got.status.state, TaskState.TASK_STATE_COMPLETED);
  assert.equal(outputOf(got).status, "completed");
});

test("cancel: a running tree is cancelled in apflow too", async () => {
  await call("apflow.task.create_tree", tree("c_", 60000));
  const stream = client.sendMessageStream(
    request("apflow.task.execute", { task_id: "c_root", wait: true }));
  const first = await stream.next();
  const taskId = first.value.payload.value.id;
  await waitFor("the slow task to start", async () =>
    (await call("apflow.task.get", { task_id: "c_a" })).status === "in_progress");
  const cancelled = await client.cancelTask({ tenant: "", id: taskId, metadata: undefined });
  assert.equal(cancelled.status.state, TaskState.TASK_STATE_CANCELED);
  const rest = [];
  for await (const event of stream) rest.push(event);
  assert.equal(rest.at(-1).payload.value.status.state, TaskState.TASK_STATE_CANCELED);
  const apflowTask = await waitFor("the tree to be cancelled in apflow", async () => {
    const task = await call("apflow.task.get", { task_id: "c_a" });
    return task.status === "cancelled" ? task : null;
  });
  assert.equal(apflowTask.status, "cancelled");
  // Cancelling again is refused: the task has ended.
  await assert.rejects(client.cancelTask({ tenant: "", id: taskId, metadata: undefined }),
    (e) => /cannot be canceled/.test(e.message));
});

test("resubscribe: a running task's stream is resumed; an ended one is refused", async () => {
  const started = await client.sendMessage({ ...request("testkit.sleep", { ms: 400 }),
                                             configuration: { returnImmediately: true,
                                                              acceptedOutputModes: [] } });
  assert.equal(started.status.state, TaskState.TASK_STATE_WORKING);
  const events = [];
  for await (const event of client.resubscribeTask({ tenant: "", id: started.id })) {
    events.push(event.payload);
  }
  assert.equal(events[0].$case, "task");
  assert.equal(events.at(-1).value.status.state, TaskState.TASK_STATE_COMPLETED);
  await assert.rejects(async () => {
    for await (const _ of client.resubscribeTask({ tenant: "", id: started.id })) { /* none */ }
  }, (e) => /has ended/.test(e.message));
});

test("unknown tasks, methods, bad JSON and bad params get the spec's codes", async () => {
  await assert.rejects(client.getTask({ tenant: "", id: "no-such-task" }),
    (e) => /Task not found/.test(e.message));
  const raw = (body) => rpc(server.url, body, AUTH);
  let r = await raw({ jsonrpc: "2.0", id: 1, method: "tasks/get", params: { id: "nope" } });
  assert.equal(r.json.error.code, -32001);
  r = await raw({ jsonrpc: "2.0", id: 2, method: "NoSuchMethod", params: {} });
  assert.equal(r.status, 200);
  assert.equal(r.json.error.code, -32601);
  assert.equal(r.json.id, 2);
  r = await raw("{not json");
  assert.equal(r.json.error.code, -32700);
  r = await raw({ id: 3, method: "GetTask" });
  assert.equal(r.json.error.code, -32600);
  r = await raw({ jsonrpc: "2.0", id: 4, method: "SendMessage", params: { message: {} } });
  assert.equal(r.json.error.code, -32602);
  r = await raw({ jsonrpc: "2.0", id: 5, method: "SendMessage", params: {
    message: { messageId: "m", parts: [{ data: {} }] }, metadata: { skillId: "no.such" } } });
  assert.equal(r.json.error.code, -32602);
  assert.match(r.json.error.message, /Skill not found: no\.such/);
  r = await raw({ jsonrpc: "2.0", id: 6, method: "CancelTask", params: { id: "nope" } });
  assert.equal(r.json.error.code, -32001);
  assert.equal(r.json.error.data[0].reason, "TASK_NOT_FOUND");
});

test("0.3 method names work with 0.3 shapes", async () => {
  const r = await rpc(server.url, { jsonrpc: "2.0", id: 7, method: "message/send", params: {
    message: { kind: "message", role: "user", messageId: "m1",
               parts: [{ kind: "data", data: { task_id: "s_a" } }] },
    metadata: { skillId: "apflow.task.get" } } }, AUTH);
  assert.equal(r.json.result.kind, "task");
  assert.equal(r.json.result.status.state, "completed");
  assert.equal(r.json.result.artifacts[0].parts[0].kind, "data");
  assert.equal(r.json.result.artifacts[0].parts[0].data.status, "completed");
  const got = await rpc(server.url, { jsonrpc: "2.0", id: 8, method: "tasks/get",
                                      params: { id: r.json.result.id } }, AUTH);
  assert.equal(got.json.result.id, r.json.result.id);
});

test("the SDK's 0.3 client works from the 0.3 card", async () => {
  const legacy = await connect(server.url, TOKEN, { legacy: true });
  assert.equal(legacy.protocolVersion, "0.3");
  const task = await legacy.sendMessage(request("apflow.task.get", { task_id: "s_a" }));
  assert.equal(task.status.state, TaskState.TASK_STATE_COMPLETED);
  assert.equal(outputOf(task).status, "completed");
  const kinds = [];
  for await (const event of legacy.sendMessageStream(request("testkit.sleep", { ms: 20 }))) {
    kinds.push(event.payload.$case);
  }
  assert.deepEqual(kinds, ["task", "artifactUpdate", "statusUpdate"]);
});

test("without or with a wrong token: 401; an oversized body: 413; still serving", async () => {
  const body = { jsonrpc: "2.0", id: 1, method: "GetTask", params: { id: "x" } };
  let r = await rpc(server.url, body);
  assert.equal(r.status, 401);
  assert.match(r.headers.get("www-authenticate") ?? "", /Bearer/);
  r = await rpc(server.url, body, { Authorization: "Bearer wrong" });
  assert.equal(r.status, 401);
  r = await rpc(server.url, JSON.stringify({ ...body, pad: "x".repeat(70000) }), AUTH);
  assert.equal(r.status, 413);
  r = await rpc(server.url, { jsonrpc: "2.0", id: 9, method: "A2A-Unknown" }, {
    ...AUTH, "A2A-Version": "9.9" });
  assert.equal(r.json.error.code, -32009);
  const health = await fetch(server.url + "health");
  assert.equal((await health.json()).status, "healthy");
});
