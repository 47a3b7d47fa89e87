// Where each task of a tree goes in the graph. Structure (parent_id) decides the layout:
// parents above their children, each leaf in its own column, a parent centred over its
// children. Dependencies are extra edges drawn over it. No DOM here.

export const NODE = { width: 168, height: 58, gapX: 28, gapY: 64, margin: 24 };

// The nested answer of apflow.task.tree ({task, children: [...]}) as a list of tasks, each
// with its depth and parent id, in depth-first order.
export function flatten(tree) {
  const out = [];
  const visit = (node, depth, parent) => {
    if (!node?.task) return;
    out.push({ task: node.task, depth, parent });
    for (const child of node.children ?? []) visit(child, depth + 1, node.task.id);
  };
  visit(tree, 0, null);
  return out;
}

// The ids a task depends on, from its "dependencies" ([{id, required}] or plain ids).
export function dependencyIds(task) {
  return (task.dependencies ?? [])
    .map((d) => ({ id: typeof d === "string" ? d : d?.id, required: d?.required !== false }))
    .filter((d) => typeof d.id === "string");
}

// Where along a box's edge each dependency arrow leaves (the right part) and arrives (the left
// part), spread so that several arrows at one box stay apart and clear of the parent-child
// lines, which use the middle. Sets edge.out and edge.in as fractions of the box's width.
function spreadPorts(edges) {
  const place = (key, slot, low, high) => {
    const groups = new Map();
    for (const edge of edges) groups.set(edge[key], [...(groups.get(edge[key]) ?? []), edge]);
    for (const group of groups.values()) {
      group.forEach((edge, i) => { edge[slot] = low + ((high - low) * (i + 1)) / (group.length + 1); });
    }
  };
  place("from", "out", 0.58, 0.92);
  place("to", "in", 0.08, 0.42);
}

// {nodes: Map(id -> {task, x, y}), edges: [{from, to, kind: "child" | "dependency", required,
//  out?, in?}], width, height}: x and y are the top-left corners of the node boxes.
export function layout(tree, size = NODE) {
  const nodes = new Map();
  const edges = [];
  let column = 0;
  const place = (node, depth) => {
    const children = (node.children ?? []).filter((c) => c?.task);
    let x;
    if (children.length === 0) {
      x = size.margin + column * (size.width + size.gapX);
      column += 1;
    } else {
      const xs = children.map((child) => place(child, depth + 1));
      x = (xs[0] + xs[xs.length - 1]) / 2;
      for (const child of children) {
        edges.push({ from: node.task.id, to: child.task.id, kind: "child", required: true });
      }
    }
    nodes.set(node.task.id, { task: node.task, x, y: size.margin + depth * (size.height + size.gapY) });
    return x;
  };
  if (tree?.task) place(tree, 0);
  for (const { task } of nodes.values()) {
    for (const dependency of dependencyIds(task)) {
      if (nodes.has(dependency.id)) {
        edges.push({ from: dependency.id, to: task.id, kind: "dependency",
                     required: dependency.required });
      }
    }
  }
  spreadPorts(edges.filter((edge) => edge.kind === "dependency"));
  let depth = 0;
  for (const node of nodes.values()) depth = Math.max(depth, node.y);
  return {
    nodes, edges,
    width: Math.max(1, column) * (size.width + size.gapX) - size.gapX + 2 * size.margin,
    height: depth + size.height + 2 * size.margin,
  };
}
