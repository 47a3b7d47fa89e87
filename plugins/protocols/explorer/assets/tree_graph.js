// A task tree drawn as SVG: one box per task (name, status, progress bar, coloured by status),
// grey lines from parent to child, dashed arrows from a dependency to the task that waits for
// it. Node states change in place (update), so live events do not redraw the graph.
import { el } from "./dom.js";
import { layout, NODE } from "./tree_layout.js";

const NAME_WIDTH = NODE.width - 24;  // the box less its padding

// Long names lose their middle: siblings often differ only at the end ("run-42-fetch").
function shorten(text, max) {
  if (text.length <= max) return text;
  const tail = Math.floor((max - 1) / 2);
  return `${text.slice(0, max - 1 - tail)}…${text.slice(text.length - tail)}`;
}

// Shortens a drawn name until it fits its box, measured in the page's own font.
function fitName(node, full) {
  node.textContent = full;
  for (let max = full.length - 1; max > 4 && node.getComputedTextLength() > NAME_WIDTH; max -= 1) {
    node.textContent = shorten(full, max);
  }
}

function statusLine(task) {
  const status = (task.status ?? "unknown").replace("_", " ");
  const progress = typeof task.progress === "number" ? Math.round(task.progress * 100) : null;
  return progress === null || task.status === "pending" ? status : `${status} · ${progress}%`;
}

// The path of an edge between two node boxes: parent-child lines from the middle of the
// parent's bottom to the middle of the child's top; dependency arrows between the ports
// tree_layout chose, as a loop under both boxes when they share a row.
function edgePath(edge, from, to) {
  const w = NODE.width;
  const h = NODE.height;
  if (edge.kind === "child") {
    const [x1, y1, x2, y2] = [from.x + w / 2, from.y + h, to.x + w / 2, to.y];
    const mid = (y1 + y2) / 2;
    return `M${x1},${y1} C${x1},${mid} ${x2},${mid} ${x2},${y2}`;
  }
  const x1 = from.x + w * edge.out;
  const x2 = to.x + w * edge.in;
  if (Math.abs(from.y - to.y) < 1) {
    const y = from.y + h;
    const dip = Math.min(48, 18 + Math.abs(x2 - x1) / 8);
    return `M${x1},${y} C${x1},${y + dip} ${x2},${y + dip} ${x2},${y + 2}`;
  }
  const down = to.y > from.y;
  const y1 = down ? from.y + h : from.y;
  const y2 = down ? to.y - 2 : to.y + h + 2;
  const bend = (y2 - y1) / 2;
  return `M${x1},${y1} C${x1},${y1 + bend} ${x2},${y2 - bend} ${x2},${y2}`;
}

function arrowMarker() {
  return el("svg:defs", {},
    el("svg:marker", { id: "arrow", viewBox: "0 0 10 10", refX: "9", refY: "5",
                       markerWidth: "7", markerHeight: "7", orient: "auto-start-reverse" },
       el("svg:path", { d: "M0,0 L10,5 L0,10 z", className: "arrow-head" })));
}

function nodeGroup(node, onSelect) {
  const { task, x, y } = node;
  const progress = el("svg:rect", { className: "progress", x: x + 1, y: y + NODE.height - 5,
                                    height: 4, width: 0, rx: 2 });
  const status = el("svg:text", { className: "status", x: x + 12, y: y + 42 });
  const name = el("svg:text", { className: "name", x: x + 12, y: y + 22 });
  const group = el("svg:g", {
    className: "node", tabindex: "0", role: "button", "data-task-id": task.id,
    onclick: () => onSelect(task.id),
    onkeydown: (event) => { if (event.key === "Enter") onSelect(task.id); },
  },
  el("svg:title", { text: `${task.name ?? task.id}\n${task.id}` }),
  el("svg:rect", { className: "box", x, y, width: NODE.width, height: NODE.height, rx: 8 }),
  name, status, progress);
  const update = (change) => {
    const fields = typeof change === "function" ? change(task) : change;
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined) task[key] = value;  // an event without progress keeps the last
    }
    const selected = group.classList.contains("selected");
    group.setAttribute("class", `node status-${task.status ?? "unknown"}`);
    group.classList.toggle("selected", selected);
    group.setAttribute("data-status", task.status ?? "unknown");
    status.textContent = statusLine(task);
    const fraction = task.status === "completed" ? 1 : Math.max(0, Math.min(1, task.progress ?? 0));
    progress.setAttribute("width", String((NODE.width - 2) * fraction));
  };
  update({});
  return { group, update, task, fit: () => fitName(name, task.name || task.id) };
}

// Draws the tree into container; returns {update(taskId, fields or task => fields) -> the
// task, or null when the graph does not have it; select(taskId); tasks()}.
export function drawTree(container, tree, onSelect) {
  const { nodes, edges, width, height } = layout(tree);
  const svg = el("svg:svg", { className: "graph", width, height, viewBox: `0 0 ${width} ${height}`,
                              role: "img", "aria-label": "Task tree graph" }, arrowMarker());
  for (const kind of ["child", "dependency"]) {  // dependencies drawn over the structure
    for (const edge of edges.filter((e) => e.kind === kind)) {
      svg.append(el("svg:path", {
        className: `edge ${kind}${edge.required ? "" : " optional"}`,
        d: edgePath(edge, nodes.get(edge.from), nodes.get(edge.to)),
        "marker-end": kind === "dependency" ? "url(#arrow)" : null,
      }));
    }
  }
  const views = new Map();
  for (const node of nodes.values()) {
    const view = nodeGroup(node, onSelect);
    views.set(node.task.id, view);
    svg.append(view.group);
  }
  container.replaceChildren(svg);
  for (const view of views.values()) view.fit();  // measuring needs the graph in the page
  return {
    update(taskId, fields) {
      const view = views.get(taskId);
      if (!view) return null;
      view.update(fields);
      return view.task;
    },
    select(taskId) {
      for (const [id, view] of views) view.group.classList.toggle("selected", id === taskId);
    },
    tasks: () => [...nodes.values()].map((n) => n.task),
  };
}
