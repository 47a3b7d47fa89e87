// Starting the built apflow for the A2A tests: `apflow serve` on a free port with a temporary
// SQLite database and the testkit plugins, and an @a2a-js/sdk client for it.
import { ClientFactory, ClientFactoryOptions, DefaultAgentCardResolver, JsonRpcTransportFactory }
  from "@a2a-js/sdk/client";
import { Role } from "@a2a-js/sdk";
import { startApflow } from "../apflow.mjs";

export { stopServer, waitFor } from "../apflow.mjs";

// Resolves with the URL `apflow serve` prints and the process.
export function startServer(extra = []) {
  return startApflow(["serve", "--port", "0", ...extra], /serving A2A at (http:\/\/\S+\/)/);
}

// A client made the way another service would: from the agent card, with the bearer token.
// legacy: the SDK's A2A 0.3 client, from the 0.3-shaped card at /.well-known/agent.json.
export async function connect(url, token, { legacy = false } = {}) {
  const fetchImpl = (input, init = {}) => {
    const headers = new Headers(init.headers);
    if (token) headers.set("Authorization", `Bearer ${token}`);
    return fetch(input, { ...init, headers, signal: init.signal ?? AbortSignal.timeout(30000) });
  };
  const options = ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
    transports: [new JsonRpcTransportFactory({ fetchImpl, legacyCompat: { enabled: legacy } })],
    cardResolver: new DefaultAgentCardResolver({ fetchImpl, legacyCompat: { enabled: legacy } }),
  });
  return new ClientFactory(options).createFromUrl(url, legacy ? ".well-known/agent.json"
                                                              : undefined);
}

// A SendMessage request for a skill (module) with its input as a data part.
export function request(skillId, input) {
  return {
    tenant: "",
    message: {
      messageId: crypto.randomUUID(), role: Role.ROLE_USER, taskId: "", contextId: "",
      extensions: [], referenceTaskIds: [], metadata: { skillId },
      parts: [{ content: { $case: "data", value: input }, metadata: undefined, filename: "",
                mediaType: "application/json" }],
    },
    metadata: { skillId },
  };
}

// The module output a finished task carries in its artifact's data part.
export function outputOf(task) {
  const part = task.artifacts?.[0]?.parts?.[0];
  if (part?.content?.$case !== "data") {
    throw new Error(`no data artifact in ${JSON.stringify(task)}`);
  }
  return part.content.value;
}

// Raw JSON-RPC, as a client without the SDK would send it.
export async function rpc(url, body, headers = {}) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(30000),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text,
           json: text ? JSON.parse(text) : null };
}
