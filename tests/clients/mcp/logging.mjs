// MCP logging as a client sees it, whatever the transport: nothing before logging/setLevel,
// then notifications/message at or above the level and none below it.
import assert from "node:assert/strict";
import { LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { waitFor } from "./apflow.mjs";

const LEVELS = ["debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"];

function failEngine(client) {
  // The engine refuses it: an error for the log.
  return client.callTool({ name: "apflow_task_create_tree",
                           arguments: { tasks: [{ name: "dup" }, { name: "dup" }] } });
}

function failValidation(client) {
  // The validator refuses it: the caller can fix it, a warning.
  return client.callTool({ name: "apflow_task_create_tree", arguments: { tasks: "x" } });
}

async function runTree(client, prefix) {
  const created = await client.callTool({ name: "apflow_task_create_tree", arguments: {
    tasks: [{ id: `${prefix}-root`, name: `${prefix}-root`,
              params: { executor_id: "passthrough_executor" }, inputs: { secret: "s3cr3t" } }] } });
  assert.equal(created.isError, false, JSON.stringify(created.content));
  const run = await client.callTool({ name: "apflow_task_execute",
                                      arguments: { task_id: `${prefix}-root`, wait: true } });
  assert.equal(run.structuredContent.status, "completed");
}

export async function logsFollowSetLevel(client) {
  const messages = [];
  client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => messages.push(n.params));

  await failEngine(client);
  await runTree(client, "quiet");

  await client.setLoggingLevel("warning");
  await runTree(client, "warn");  // debug, info and notice only: none of it may arrive
  await failValidation(client);
  await failEngine(client);
  await waitFor("the error log message of the failed call",
                () => messages.some((m) => m.level === "error" && m.logger === "apflow.mcp"));
  const severity = (m) => LEVELS.indexOf(m.level);
  assert.ok(messages.every((m) => severity(m) >= LEVELS.indexOf("warning")),
            `nothing below warning: ${JSON.stringify(messages)}`);
  assert.equal(messages.filter((m) => m.logger === "apflow.mcp" && m.level === "error").length, 1,
               "the failure before setLevel was not logged");
  const warning = messages.find((m) => m.level === "warning" && m.logger === "apflow.mcp");
  assert.equal(warning?.data.code, "SCHEMA_VALIDATION_ERROR", JSON.stringify(messages));
  assert.equal(warning.data.tool, "apflow_task_create_tree");
  const error = messages.find((m) => m.level === "error" && m.logger === "apflow.mcp");
  assert.match(error.data.message, /Duplicate task name 'dup'/);

  messages.length = 0;
  await client.setLoggingLevel("debug");
  await runTree(client, "loud");
  // Over HTTP these come on the GET stream, in no fixed order relative to the call's answer.
  await waitFor("the tree's completion in the log", () => messages.some(
    (m) => m.level === "notice" && m.data.type === "tree_completed" &&
           m.data.task_id === "loud-root"));
  await waitFor("the execute call's own debug message", () => messages.some(
    (m) => m.level === "debug" && m.logger === "apflow.mcp" && m.data.ok === true &&
           m.data.tool === "apflow_task_execute"));
  assert.ok(messages.some((m) => m.level === "info" && m.data.type === "task_completed"));
  assert.ok(!JSON.stringify(messages).includes("s3cr3t"), "inputs and results are never logged");

  await assert.rejects(client.setLoggingLevel("verbose"), (e) => e.code === -32602);
}
