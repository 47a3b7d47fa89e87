// Small DOM helpers shared by the explorer's views (no framework: the page has to ship inside
// the apflow binary and run without the network).

// An element with attributes (class, text, on<event> handlers, others as attributes) and
// children (nodes or strings).
export function el(tag, attrs = {}, ...children) {
  const node = tag.startsWith("svg:")
    ? document.createElementNS("http://www.w3.org/2000/svg", tag.slice(4))
    : document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key === "className" ? "class" : key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) {
      node.append(child instanceof Node ? child : String(child));
    }
  }
  return node;
}

export function clear(node) {
  node.replaceChildren();
  return node;
}

// JSON as people read it.
export function pretty(value) {
  return JSON.stringify(value, null, 2);
}

// The first sentence of a description, for lists.
export function firstSentence(text = "") {
  const end = text.search(/[.\n]/);
  return end < 0 ? text : text.slice(0, end);
}

// The banner under the top bar: an error or a hint for the whole page; "" hides it.
export function notice(message, kind = "error") {
  const box = document.getElementById("notice");
  box.textContent = message;
  box.className = `notice ${kind}`;
  box.hidden = !message;
}

// A status word as a coloured pill ("in_progress" -> "in progress").
export function statusPill(status = "unknown") {
  return el("span", { className: `pill status-${status}`, text: status.replace("_", " ") });
}
