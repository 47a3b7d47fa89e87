// The explorer page (`--explorer`) in headless Chromium: on `apflow serve` with a token — the
// module list, calling modules through the generated form, a tree created, run and watched
// turning completed in the graph — its JSON API's answers to bad requests, and the same page
// on the MCP Streamable HTTP front-end. Leaves screenshots in the build's test-artifacts.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { apflowArgs, binary, cleanEnv, tempDb } from "../apflow.mjs";
import { artifactPath, launchBrowser, startWithExplorer, stopServer } from "./server.mjs";

const TOKEN = "explorer-test-token";
const AUTH = { Authorization: `Bearer ${TOKEN}` };
const WAIT = 20000;
let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

async function openPage(url) {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.setDefaultTimeout(WAIT);
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(url);
  return { page, errors };
}

// A tree whose second child waits for the first, each sleeping a little so that the page
// can see them run.
function sampleTree(prefix) {
  const task = (id, extra) => ({ id: `${prefix}${id}`, name: `${prefix}${id}`, ...extra });
  return { tasks: [
    task("root", { params: { executor_id: "noop_executor" } }),
    task("fetch", { parent_id: `${prefix}root`, params: { executor_id: "record_executor" },
                    inputs: { sleep_ms: 1200, steps: 4 } }),
    task("report", { parent_id: `${prefix}root`, params: { executor_id: "record_executor" },
                     inputs: { sleep_ms: 300 }, dependencies: [{ id: `${prefix}fetch`, required: true }] }),
    task("notify", { parent_id: `${prefix}report`, params: { executor_id: "noop_executor" } }),
  ] };
}

async function callThroughForm(page, moduleId, fill) {
  await page.click(`#module-list li[data-module-id="${moduleId}"] a`);
  await page.waitForSelector(`#module-detail h2:text-is("${moduleId}")`);
  await fill();
  await page.click("#call-form button[type=submit]");
  await page.waitForSelector("#module-detail .outcome.ok, #module-detail .outcome.failed");
  return page.locator("#module-detail .outcome");
}

describe("apflow serve --explorer", () => {
  let server;
  let api;
  before(async () => {
    server = await startWithExplorer("a2a", ["--token", TOKEN]);
    api = (path, init = {}) => fetch(new URL(`api/${path}`, server.page),
      { ...init, headers: { ...AUTH, ...init.headers }, signal: AbortSignal.timeout(WAIT) });
  });
  after(async () => {
    if (server) assert.equal(await stopServer(server.child), 0, server.stderr());
  });

  test("the start-up lines name the A2A endpoint and the explorer", () => {
    assert.match(server.stdout(), /serving A2A at http:\/\/127\.0\.0\.1:\d+\/\n/);
    assert.match(server.page, /^http:\/\/127\.0\.0\.1:\d+\/explorer\/$/);
  });

  test("the page and its files are public, cacheable and typed; the API needs the token", async () => {
    const html = await fetch(server.page);
    assert.equal(html.status, 200);
    assert.match(html.headers.get("content-type"), /^text\/html/);
    assert.match(html.headers.get("content-security-policy"), /script-src 'self'/);
    const script = await fetch(new URL("assets/app.js", server.page));
    assert.match(script.headers.get("content-type"), /^text\/javascript/);
    assert.equal(script.headers.get("cache-control"), "no-cache");
    const etag = script.headers.get("etag");
    const again = await fetch(new URL("assets/app.js", server.page),
                              { headers: { "If-None-Match": etag } });
    assert.equal(again.status, 304);
    const bare = await fetch(server.page.replace(/\/$/, ""), { redirect: "manual" });
    assert.equal(bare.status, 308);
    const refused = await fetch(new URL("api/modules", server.page));
    assert.equal(refused.status, 401);
    const modules = await (await api("modules")).json();
    assert.ok(modules.modules.some((m) => m.module_id === "apflow.task.create_tree"));
  });

  test("bad requests get JSON errors that say what was wrong", async () => {
    const post = (path, body, headers = {}) => api(path, { method: "POST", body,
      headers: { "Content-Type": "application/json", ...headers } });
    const expect = async (response, status, pattern) => {
      assert.equal(response.status, status);
      const body = await response.json();
      assert.match(body.error, pattern);
      return body;
    };
    await expect(await post("modules/no.such.module/call", "{}"), 404, /Module not found: no.such/);
    await expect(await post("modules/apflow.task.get/call", "{not json"), 400, /Invalid JSON/);
    await expect(await post("modules/apflow.task.get/call", "[1]"), 400, /JSON object/);
    await expect(await post("modules/apflow.task.get/call", "{}", { "Content-Type": "text/plain" }),
                 415, /application\/json/);
    await expect(await post("modules/apflow.task.list/call", "{}",
                            { Origin: "https://evil.example" }), 403, /evil\.example/);
    await expect(await api("modules/apflow.task.list/call"), 405, /POST/);
    await expect(await api("trees/no-such-task"), 404, /no-such-task/);
    const invalid = await (await post("modules/apflow.task.list/call", '{"limit":"many"}')).json();
    assert.equal(invalid.ok, false);
    assert.equal(invalid.error.code, "SCHEMA_VALIDATION_ERROR");
    assert.match(invalid.error.message, /limit/);
  });

  test("the page lists the modules, calls them from forms and draws a tree run live", async () => {
    const { page, errors } = await openPage(server.page);
    await page.waitForSelector("#notice:has-text('bearer token')");
    await page.fill("#token", TOKEN);
    await page.click("#token-form button");
    await page.waitForSelector('#module-list li[data-module-id="apflow.task.list"]');
    const ids = await page.$$eval("#module-list li", (items) => items.map((i) => i.dataset.moduleId));
    for (const id of ["apflow.task.create_tree", "apflow.task.execute", "apflow.task.tree"]) {
      assert.ok(ids.includes(id), `${id} is listed`);
    }
    assert.equal(await page.isHidden("#notice"), true);

    // A failure comes back as an error box, not a crash.
    const failed = await callThroughForm(page, "apflow.task.get",
                                         () => page.fill("#field-task_id", "no-such-task"));
    assert.match(await failed.getAttribute("class"), /failed/);
    assert.match(await failed.innerText(), /no-such-task/);

    const tree = sampleTree(`e2e${Date.now()}-`);
    const created = await callThroughForm(page, "apflow.task.create_tree", async () => {
      const choices = await page.$$eval("#field-failure_policy option", (os) => os.map((o) => o.text));
      assert.deepEqual(choices, ["—", "fail", "skip", "continue"]);
      assert.equal(await page.isVisible('label[for="field-tasks"] .required'), true);
      await page.fill("#field-tasks", JSON.stringify(tree.tasks, null, 2));
    });
    assert.match(await created.innerText(), new RegExp(`"root_task_id": "${tree.tasks[0].id}"`));
    await page.screenshot({ path: artifactPath("explorer-modules.png") });

    await page.click("#module-detail .tree-link");
    await page.waitForSelector("#live-state:has-text('live')");
    assert.equal(await page.locator("svg.graph g.node").count(), tree.tasks.length);
    assert.equal(await page.locator("svg.graph path.edge.dependency").count(), 1);
    assert.equal(await page.locator('svg.graph g.node[data-status="pending"]').count(),
                 tree.tasks.length);
    // Every status a node shows from now on, to tell live updates from a final reload.
    await page.evaluate(() => {
      window.seenStatuses = new Set();
      new MutationObserver((changes) => {
        for (const change of changes) window.seenStatuses.add(change.target.dataset?.status);
      }).observe(document.getElementById("tree-detail"),
                 { subtree: true, attributes: true, attributeFilter: ["data-status"] });
    });
    await page.click("text=Run tree");
    await page.waitForFunction((n) =>
      document.querySelectorAll('svg.graph g.node[data-status="completed"]').length === n,
      tree.tasks.length, { timeout: 30000 });
    assert.ok(await page.evaluate(() => window.seenStatuses.has("in_progress")),
              "a running task was shown while it ran");
    await page.click(`svg.graph g.node[data-task-id="${tree.tasks[1].id}"]`);
    await page.waitForSelector("#task-fields pre:has-text('sleep_ms')");
    await page.waitForSelector(`#tree-list li[data-tree-id="${tree.tasks[0].id}"]`);
    const shot = artifactPath("explorer.png");
    await page.screenshot({ path: shot });
    console.log(`explorer screenshot: ${shot}`);
    assert.deepEqual(errors, []);
    await page.close();
  });
});

describe("apflow mcp --transport streamable-http --explorer", () => {
  let server;
  before(async () => {
    server = await startWithExplorer("mcp");
  });
  after(async () => {
    if (server) assert.equal(await stopServer(server.child), 0, server.stderr());
  });

  test("over stdio there is no page: --explorer is a usage error", () => {
    const run = spawnSync(binary, apflowArgs(tempDb(), "mcp", "--explorer"),
                          { env: cleanEnv(), encoding: "utf8", timeout: 20000 });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /--explorer needs --transport streamable-http/);
  });

  test("serves the same page, which lists the modules and calls one", async () => {
    assert.match(server.stdout(), /serving MCP \(Streamable HTTP\) at http:\/\/\S+\/mcp\n/);
    const { page, errors } = await openPage(server.page);
    await page.waitForSelector('#module-list li[data-module-id="apflow.task.list"]');
    const listed = await callThroughForm(page, "apflow.task.list", async () => {
      assert.equal(await page.inputValue("#field-limit"), "50");
    });
    assert.match(await listed.innerText(), /"total": 0/);
    // A module's example fills its form.
    const echoed = await callThroughForm(page, "apflow.passthrough_executor",
                                         () => page.click("button.example"));
    assert.match(await page.inputValue("#field-more"), /"city": "Paris"/);
    assert.match(await echoed.getAttribute("class"), /\bok\b/);
    assert.match(await echoed.innerText(), /"city": "Paris"/);
    await page.click("#tab-trees");
    await page.waitForSelector("#tree-list li.hint:has-text('No tasks yet')");
    const health = await fetch(new URL("/health", server.page));
    assert.equal(health.status, 200);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
