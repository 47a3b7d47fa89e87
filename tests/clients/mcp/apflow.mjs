// Starting the built apflow for the MCP tests: a temporary SQLite database, the testkit plugin
// directory, and bounded waits so that nothing hangs.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";

export const binary = process.env.APFLOW_BIN;
export const testPlugins = process.env.APFLOW_TEST_PLUGINS;
if (!binary || !testPlugins) {
  throw new Error("APFLOW_BIN and APFLOW_TEST_PLUGINS must be set (ctest sets them)");
}

const tempDirs = [];
process.on("exit", () => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

export function tempDb() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apflow-mcp-"));
  tempDirs.push(dir);
  return path.join(dir, "apflow.db");
}

// Global options go before the command word.
export function apflowArgs(db, ...command) {
  return ["--db", db, "--plugin-dir", testPlugins, "--log-level", "warn", ...command];
}

export function cleanEnv() {
  const env = { ...process.env };
  for (const key of ["APFLOW_CONFIG", "APFLOW_PLUGIN_PATH", "APFLOW_DATABASE_URL", "APFLOW_MCP_TOKEN"]) {
    delete env[key];
  }
  return env;
}

// Starts `apflow mcp --transport streamable-http` on a free port; resolves with the URL it
// prints and the process.
export function startHttpServer(extra = []) {
  const db = tempDb();
  const child = spawn(binary, apflowArgs(db, "mcp", "--transport", "streamable-http",
                                         "--port", "0", ...extra),
                      { env: cleanEnv(), stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => { stderr += d; });
  return new Promise((resolve, reject) => {
    let stdout = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`no start-up line within 20 s; stderr: ${stderr}`));
    }, 20000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`apflow mcp exited with ${code} before serving; stderr: ${stderr}`));
    });
    child.stdout.on("data", (d) => {
      stdout += d;
      const match = stdout.match(/at (http:\/\/\S+\/mcp)/);
      if (match) {
        clearTimeout(timer);
        child.removeAllListeners("exit");
        resolve({ child, url: match[1], db, stdout: () => stdout, stderr: () => stderr });
      }
    });
  });
}

// Stops a server with SIGTERM and resolves with its exit code (SIGKILL after 15 s).
export function stopServer(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    const timer = setTimeout(() => child.kill("SIGKILL"), 15000);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? signal);
    });
    child.kill("SIGTERM");
  });
}

export function newClient() {
  return new Client({ name: "apflow-e2e", version: "0.0.1" });
}

// Every tool, following nextCursor; also returns how many pages it took.
export async function listAllTools(client) {
  const tools = [];
  let cursor;
  let pages = 0;
  do {
    const page = await client.listTools(cursor ? { cursor } : {});
    tools.push(...page.tools);
    cursor = page.nextCursor;
    pages += 1;
  } while (cursor && pages < 100);
  return { tools, pages };
}

export async function waitFor(what, check, { timeoutMs = 20000, everyMs = 100 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await check();
    if (last) return last;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}`);
}
