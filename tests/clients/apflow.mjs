// Starting the built apflow for the protocol tests (MCP, A2A, explorer): a temporary SQLite
// database, the testkit plugin directory, a clean environment, and bounded waits so that
// nothing hangs.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

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
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apflow-e2e-"));
  tempDirs.push(dir);
  return path.join(dir, "apflow.db");
}

// Global options go before the command word.
export function apflowArgs(db, ...command) {
  return ["--db", db, "--plugin-dir", testPlugins, "--log-level", "warn", ...command];
}

// The inherited environment without what would point apflow elsewhere or demand a token.
export function cleanEnv() {
  const env = { ...process.env };
  for (const key of ["APFLOW_CONFIG", "APFLOW_PLUGIN_PATH", "APFLOW_DATABASE_URL",
                     "APFLOW_MCP_TOKEN", "APFLOW_A2A_TOKEN"]) {
    delete env[key];
  }
  return env;
}

// Starts `apflow <command...>` on a temporary database and resolves once its stdout matches
// `startLine`, with the process, the line's first group as `url`, the database and its output
// so far; rejects if it exits first or prints no such line within 20 s.
export function startApflow(command, startLine) {
  const db = tempDb();
  const child = spawn(binary, apflowArgs(db, ...command),
                      { env: cleanEnv(), stdio: ["ignore", "pipe", "pipe"] });
  const name = `apflow ${command[0]}`;
  let stderr = "";
  child.stderr.on("data", (d) => { stderr += d; });
  return new Promise((resolve, reject) => {
    let stdout = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${name}: no start-up line within 20 s; stderr: ${stderr}`));
    }, 20000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before serving; stderr: ${stderr}`));
    });
    child.stdout.on("data", (d) => {
      stdout += d;
      const match = stdout.match(startLine);
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
