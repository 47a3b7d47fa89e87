// The official MCP conformance runner (@modelcontextprotocol/conformance, pinned in the
// lockfile; needs Node 22) against `apflow mcp --transport streamable-http`: the server
// scenarios that apply to apflow's tools (docs/mcp.md says why the others do not).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { startHttpServer, stopServer } from "./apflow.mjs";

const SCENARIOS = ["server-initialize", "ping", "logging-set-level", "tools-list",
                   "server-sse-multiple-streams", "dns-rebinding-protection"];
const here = path.dirname(fileURLToPath(import.meta.url));
const runner = path.join(here, "..", "node_modules", "@modelcontextprotocol", "conformance",
                         "dist", "index.js");
let server;
let workDir;

before(async () => {
  server = await startHttpServer();
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "apflow-conformance-"));
});

after(async () => {
  if (server) await stopServer(server.child);
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

// Runs one scenario; resolves with its exit code and output (killed after 120 s).
function runScenario(scenario) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [runner, "server", "--url", server.url,
                                           "--scenario", scenario],
                        { cwd: workDir, env: { ...process.env, NO_COLOR: "1" } });
    let output = "";
    child.stdout.on("data", (d) => { output += d; });
    child.stderr.on("data", (d) => { output += d; });
    const timer = setTimeout(() => child.kill("SIGKILL"), 120000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output: output.replace(/\x1b\[[0-9;]*m/g, "") });
    });
  });
}

for (const scenario of SCENARIOS) {
  test(`conformance: ${scenario}`, async () => {
    const { code, output } = await runScenario(scenario);
    const summary = output.match(/Passed: (\d+)\/(\d+), (\d+) failed, (\d+) warnings/);
    assert.ok(summary, output);
    const [, passed, total, failed, warnings] = summary.map(Number);
    assert.ok(total > 0, `the scenario checked something:\n${output}`);
    assert.equal(failed, 0, output);
    assert.equal(warnings, 0, output);
    assert.equal(passed, total, output);
    assert.equal(code, 0, output);
  });
}
