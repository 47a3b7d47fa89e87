// Starting the built apflow with --explorer for the explorer tests — `apflow serve` or
// `apflow mcp --transport streamable-http`, through the A2A and MCP tests' helpers (temporary
// database, free port) — and a headless Chromium (Debian's, driven by playwright-core).
import fs from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import { startServer } from "../a2a/server.mjs";
import { waitFor } from "../apflow.mjs";
import { startHttpServer } from "../mcp/apflow.mjs";

export { stopServer } from "../apflow.mjs";

export const CHROMIUM = process.env.APFLOW_CHROMIUM ?? "/usr/bin/chromium";

// Starts `apflow serve` ("a2a") or `apflow mcp --transport streamable-http` ("mcp") with
// --explorer and the extra flags; resolves once the explorer's start-up line is printed, with
// the page's URL and the server's helpers (child, url, stdout(), stderr()).
export async function startWithExplorer(frontEnd, extra = []) {
  const start = frontEnd === "mcp" ? startHttpServer : startServer;
  const server = await start(["--explorer", ...extra]);
  const line = await waitFor("the explorer's start-up line",
                             () => server.stdout().match(/explorer at (http:\/\/\S+)\n/),
                             { timeoutMs: 10000, everyMs: 20 });
  return { ...server, page: line[1] };
}

// Debian's Chromium, headless; as root it needs --no-sandbox.
export async function launchBrowser() {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: run scripts/install-deps.sh test (it installs chromium)`);
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, timeout: 30000,
                           args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
}

// Where a screenshot goes (the build tree's test-artifacts when ctest runs the test).
export function artifactPath(name) {
  const dir = process.env.APFLOW_TEST_ARTIFACTS ?? path.join(process.cwd(), "test-artifacts");
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}
