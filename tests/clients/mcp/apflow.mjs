// Starting the built apflow for the MCP tests (through ../apflow.mjs), and MCP SDK clients.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { startApflow } from "../apflow.mjs";

export { apflowArgs, binary, cleanEnv, stopServer, tempDb, waitFor } from "../apflow.mjs";

// Starts `apflow mcp --transport streamable-http` on a free port; resolves with the URL it
// prints and the process.
export function startHttpServer(extra = []) {
  return startApflow(["mcp", "--transport", "streamable-http", "--port", "0", ...extra],
                     /at (http:\/\/\S+\/mcp)/);
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
