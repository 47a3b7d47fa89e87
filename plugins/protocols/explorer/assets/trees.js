// The Task trees view: the trees (the roots among the newest tasks), and one tree as a graph
// whose nodes follow the engine live, with a button to run it and the selected task's fields.
import { callModule, getJson } from "./client.js";
import { clear, el, pretty, statusPill } from "./dom.js";
import { eventFields, LiveTree } from "./live_tree.js";
import { drawTree } from "./tree_graph.js";

let selected = null;  // the root task id shown
let live = null;
let graph = null;
let chosenTask = null;
let lastRun = "";  // what "Run tree" said, kept across redraws

const STATUSES = ["pending", "in_progress", "completed", "failed", "cancelled"];

function legend() {
  return el("div", { className: "legend" },
    STATUSES.map((s) => statusPill(s)),
    el("span", { className: "key child", text: "parent → child" }),
    el("span", { className: "key dependency", text: "dependency → dependent" }));
}

// "2026-11-26T07:22:49.644Z" as the reader's local date and time, to the second.
function when(timestamp) {
  const date = new Date(timestamp ?? "");
  if (Number.isNaN(date.getTime())) return timestamp ?? "";
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
         `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

export async function loadTrees() {
  const { trees, total } = await getJson("trees");
  const list = clear(document.getElementById("tree-list"));
  for (const root of trees) {
    const link = el("a", { href: `#/trees/${encodeURIComponent(root.id)}`,
                           className: root.id === selected ? "active" : "" },
      el("span", { className: "id", text: root.name || root.id }),
      el("span", { className: "summary" }, statusPill(root.status),
         ` ${root.tasks} task${root.tasks === 1 ? "" : "s"} · ${when(root.created_at)}`));
    list.append(el("li", { "data-tree-id": root.id }, link));
  }
  document.getElementById("tree-count").textContent =
    `${trees.length} tree${trees.length === 1 ? "" : "s"} (${total} tasks)`;
  if (trees.length === 0) {
    list.append(el("li", { className: "hint",
                           text: "No tasks yet: create a tree with apflow.task.create_tree." }));
  }
}

// The root's status beside the title, which live events keep current.
function rootPill(status) {
  const pill = statusPill(status);
  pill.id = "root-status";
  return pill;
}

function showTask(taskId) {
  chosenTask = taskId;
  graph?.select(taskId);
  const task = graph?.tasks().find((t) => t.id === taskId);
  const box = document.getElementById("task-fields");
  if (!box) return;
  clear(box).append(task
    ? el("div", {}, el("h4", {}, task.name ?? task.id, " ", statusPill(task.status)),
         el("pre", { className: "json", text: pretty(task) }))
    : el("p", { className: "hint", text: "Click a task in the graph to see its fields." }));
}

function header(root) {
  const state = el("span", { id: "live-state", className: "hint" });
  const runOutcome = el("span", { id: "run-outcome", className: "hint", text: lastRun });
  const say = (text) => {
    lastRun = text;
    runOutcome.textContent = text;
  };
  const run = el("button", { type: "button", className: "primary", text: "Run tree",
    onclick: async () => {
      say("starting…");
      try {
        const outcome = await callModule("apflow.task.execute", { task_id: root.id });
        say(outcome.ok ? `run started at ${when(new Date().toISOString()).slice(11)}`
                       : outcome.error?.message ?? "the run did not start");
      } catch (error) {
        say(error.message);
      }
    } });
  return el("div", { className: "tree-head" },
    el("h2", {}, root.name ?? root.id, " ", rootPill(root.status)),
    el("p", { className: "hint" }, el("code", { text: root.id }), " · ", state),
    el("div", { className: "actions" }, run, runOutcome));
}

async function reload(rootId) {
  const tree = await getJson(`trees/${encodeURIComponent(rootId)}`);
  if (selected !== rootId) return;
  const detail = document.getElementById("tree-detail");
  const state = document.getElementById("live-state")?.textContent ?? "connecting…";
  clear(detail).append(header(tree.task), legend(),
    el("div", { id: "graph", className: "graph-box" }),
    el("section", { id: "task-fields", className: "card" }));
  document.getElementById("live-state").textContent = state;
  graph = drawTree(document.getElementById("graph"), tree, showTask);
  showTask(chosenTask);
  loadTrees().catch(() => {});  // statuses in the list follow the graph's
  return tree;
}

export async function showTree(rootId) {
  if (selected === rootId) return;
  live?.stop();
  live = null;
  graph = null;
  chosenTask = null;
  lastRun = "";
  selected = rootId;
  for (const item of document.querySelectorAll("#tree-list a")) {
    item.classList.toggle("active", item.parentElement.dataset.treeId === rootId);
  }
  const detail = clear(document.getElementById("tree-detail"));
  if (!rootId) {
    detail.append(el("p", { className: "hint", text: "Pick a task tree on the left." }));
    return;
  }
  detail.append(el("p", { className: "hint", text: "Loading the tree…" }));
  let tree;
  try {
    tree = await reload(rootId);
  } catch (error) {
    clear(detail).append(el("p", { className: "outcome failed", text: error.message }));
    return;
  }
  if (!tree || selected !== rootId) return;
  live = new LiveTree(tree.task.task_tree_id ?? rootId, {
    reload: () => reload(rootId),
    apply: (event) => {
      const task = graph?.update(event.task_id, (current) => eventFields(current, event));
      if (task && task.id === rootId) {
        document.getElementById("root-status")?.replaceWith(rootPill(task.status));
      }
      return task;
    },
    onState: (text) => {
      const state = document.getElementById("live-state");
      if (state) state.textContent = `updates: ${text}`;
    },
  }).start();
}

// Leaving the view stops the live updates; coming back starts them again.
export function leaveTrees() {
  live?.stop();
  live = null;
  selected = null;
}
