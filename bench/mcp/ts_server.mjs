// The comparison server for bench/mcp/run.sh: the official TypeScript MCP SDK
// (@modelcontextprotocol/sdk, from tests/clients/node_modules) serving one read-only tool
// equivalent to apflow_task_get over Streamable HTTP, stateful sessions, JSON responses.
//   node ts_server.mjs PORT     prints "listening <port>" when ready
import { randomUUID } from "node:crypto";
import http from "node:http";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";

// What apflow.task.get answers for the benchmark's task, so both send the same bytes' worth.
const task = {
  id: "bench", name: "bench", status: "pending", priority: 2, progress: 0, parent_id: null,
  task_tree_id: "bench", dependencies: [], inputs: { city: "Lima" }, params: {}, result: null,
  error: null, created_at: "2026-11-26T00:00:00.000Z", updated_at: "2026-11-26T00:00:00.000Z",
};

function newServer() {
  const server = new McpServer({ name: "ts-bench", version: "1.0.0" });
  server.registerTool("task_get", {
    description: "Reads one task by id.",
    inputSchema: { task_id: z.string() },
    outputSchema: { id: z.string(), name: z.string(), status: z.string() },
    annotations: { readOnlyHint: true, idempotentHint: true },
  }, async ({ task_id }) => {
    const found = { ...task, id: task_id };
    return { content: [{ type: "text", text: JSON.stringify(found) }], structuredContent: found };
  });
  return server;
}

const transports = new Map();

async function handle(req, res) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : undefined;
  const id = req.headers["mcp-session-id"];
  let transport = id ? transports.get(id) : undefined;
  if (!transport && req.method === "POST" && isInitializeRequest(body)) {
    transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      enableJsonResponse: true,
      onsessioninitialized: (sid) => transports.set(sid, transport),
    });
    await newServer().connect(transport);
  }
  if (!transport) {
    res.writeHead(id ? 404 : 400).end();
    return;
  }
  await transport.handleRequest(req, res, body);
}

const httpServer = http.createServer((req, res) => {
  handle(req, res).catch((e) => { res.writeHead(500).end(String(e)); });
});
httpServer.keepAliveTimeout = 60000;
httpServer.listen(Number(process.argv[2] ?? 0), "127.0.0.1", () => {
  console.log(`listening ${httpServer.address().port}`);
});
