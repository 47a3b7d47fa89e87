// What a user does with apflow over MCP, whatever the transport: list the tools, build and run
// a tree with progress, read the results, cancel a running tree, and make a mistake.
import assert from "node:assert/strict";
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import { listAllTools, waitFor } from "./apflow.mjs";

const NAME_RULE = /^[a-zA-Z0-9_-]{1,64}$/;

export async function checkTools(client) {
  const { tools, pages } = await listAllTools(client);
  assert.ok(pages > 1, `expected several pages with --page-size 5, got ${pages}`);
  const names = tools.map((t) => t.name);
  assert.equal(new Set(names).size, names.length, "tool names are unique");
  for (const tool of tools) {
    assert.match(tool.name, NAME_RULE);
    assert.equal(tool.inputSchema.type, "object", `${tool.name} input schema`);
    assert.equal(tool._meta["apcore/moduleId"].replaceAll(".", "_"), tool.name);
    for (const hint of ["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"]) {
      assert.equal(typeof tool.annotations[hint], "boolean", `${tool.name} ${hint}`);
    }
  }
  const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
  const create = byName.apflow_task_create_tree;
  assert.ok(create, "apflow_task_create_tree is listed");
  assert.equal(create._meta["apcore/moduleId"], "apflow.task.create_tree");
  assert.ok(create.inputSchema.properties.tasks, "create_tree takes tasks");
  assert.deepEqual(create.outputSchema.required, ["root_task_id", "task_count", "task_ids"]);
  assert.equal(byName.apflow_task_get.annotations.readOnlyHint, true);
  assert.equal(byName.apflow_task_get.annotations.idempotentHint, true);
  assert.equal(byName.apflow_task_delete.annotations.destructiveHint, true);
  assert.equal(byName.apflow_task_execute.annotations.openWorldHint, true);
  assert.ok(byName.testkit_sleep, "the testkit plugin's modules are tools too");
  return byName;
}

export async function createRunAndRead(client) {
  const created = await client.callTool({
    name: "apflow_task_create_tree",
    arguments: {
      tasks: [
        { id: "root", name: "root", params: { executor_id: "noop_executor" } },
        { id: "a", name: "a", parent_id: "root", params: { executor_id: "passthrough_executor" },
          inputs: { city: "Lima", delay_ms: 50 } },
        { id: "b", name: "b", parent_id: "root", params: { executor_id: "passthrough_executor" },
          inputs: { city: "Paris" } },
      ],
    },
  });
  assert.equal(created.isError, false, JSON.stringify(created.content));
  assert.equal(created.structuredContent.task_count, 3);
  assert.equal(created.structuredContent.root_task_id, "root");
  assert.deepEqual(JSON.parse(created.content[0].text), created.structuredContent);

  const progress = [];
  const run = await client.callTool(
    { name: "apflow_task_execute", arguments: { task_id: "root", wait: true } },
    undefined,
    { onprogress: (p) => progress.push(p), timeout: 30000 },
  );
  assert.equal(run.isError, false, JSON.stringify(run.content));
  assert.equal(run.structuredContent.status, "completed");
  assert.ok(progress.length >= 3, `progress notifications: ${JSON.stringify(progress)}`);
  const values = progress.map((p) => p.progress);
  assert.deepEqual(values, [...values].sort((x, y) => x - y), "progress only grows");
  assert.ok(progress.some((p) => /task_completed 'a'/.test(p.message)), JSON.stringify(progress));

  const task = await client.callTool({ name: "apflow_task_get", arguments: { task_id: "a" } });
  assert.equal(task.structuredContent.status, "completed");
  assert.equal(task.structuredContent.result.city, "Lima");
  // A call by the dotted module id is accepted too.
  const tree = await client.callTool({ name: "apflow.task.tree", arguments: { task_id: "root" } });
  assert.equal(tree.isError, false);
  assert.equal(tree.structuredContent.task.status, "completed");
  assert.equal(tree.structuredContent.children.length, 2);
}

export async function invalidArguments(client) {
  const bad = await client.callTool({
    name: "apflow_task_create_tree",
    arguments: { tasks: "not a list" },
  });
  assert.equal(bad.isError, true);
  assert.equal(bad.structuredContent, undefined);
  assert.match(bad.content[0].text, /tasks/, bad.content[0].text);
  assert.equal(bad._meta["apcore/error"].code, "SCHEMA_VALIDATION_ERROR");

  const engine = await client.callTool({
    name: "apflow_task_create_tree",
    arguments: { tasks: [{ name: "a" }, { name: "a" }] },
  });
  assert.equal(engine.isError, true);
  assert.match(engine.content[0].text, /Duplicate task name 'a' at index 1/);

  await assert.rejects(
    client.callTool({ name: "no_such_tool", arguments: {} }),
    (e) => e instanceof McpError && e.code === -32602 && /Unknown tool: no_such_tool/.test(e.message),
  );
}

export async function cancelRunningTree(client) {
  await client.callTool({
    name: "apflow_task_create_tree",
    arguments: {
      tasks: [
        { id: "slow_root", name: "slow_root", params: { executor_id: "record_executor" } },
        { id: "slow", name: "slow", parent_id: "slow_root",
          params: { executor_id: "record_executor" }, inputs: { sleep_ms: 60000 } },
      ],
    },
  });
  const controller = new AbortController();
  let started = false;
  const call = client.callTool(
    { name: "apflow_task_execute", arguments: { task_id: "slow_root", wait: true } },
    undefined,
    {
      signal: controller.signal,
      timeout: 60000,
      onprogress: (p) => {
        if (/task_started 'slow'/.test(p.message)) started = true;
      },
    },
  );
  await waitFor("the slow task to start", () => started);
  controller.abort("the user changed their mind");
  await assert.rejects(call);
  const status = await waitFor("the tree to be cancelled", async () => {
    const r = await client.callTool({ name: "apflow_task_get", arguments: { task_id: "slow" } });
    return r.structuredContent.status === "cancelled" ? r.structuredContent : null;
  });
  assert.equal(status.status, "cancelled");
  // The server still serves after a cancelled call.
  assert.deepEqual(await client.ping(), {});
}
