// The Modules view: every module of the registry with a filter, and one module's page — its
// description, annotations, a form generated from its input schema to call it, the call's
// output or error, and both schemas.
import { callModule, getJson } from "./client.js";
import { clear, el, firstSentence, pretty } from "./dom.js";
import { buildForm, FieldError } from "./schema_form.js";

// Annotations shown as badges, in this order; the warning ones stand out.
const ANNOTATIONS = [
  ["readonly", "read-only", "calm"], ["idempotent", "idempotent", "calm"],
  ["destructive", "destructive", "warn"], ["requires_approval", "needs approval", "warn"],
  ["open_world", "open world", "info"], ["streaming", "streaming", "info"],
];

let modules = [];
let selected = null;

function badges(annotations = {}) {
  const shown = ANNOTATIONS.filter(([key]) => annotations[key] === true);
  return el("span", { className: "badges" },
    shown.map(([, label, tone]) => el("span", { className: `badge ${tone}`, text: label })));
}

function renderList() {
  const filter = document.getElementById("module-filter").value.trim().toLowerCase();
  const list = clear(document.getElementById("module-list"));
  const shown = modules.filter((m) =>
    !filter || m.module_id.toLowerCase().includes(filter) ||
    (m.description ?? "").toLowerCase().includes(filter));
  for (const module of shown) {
    const link = el("a", { href: `#/modules/${encodeURIComponent(module.module_id)}`,
                           className: module.module_id === selected ? "active" : "" },
      el("span", { className: "id", text: module.module_id }),
      el("span", { className: "summary", text: firstSentence(module.description) }),
      badges(module.annotations));
    list.append(el("li", { "data-module-id": module.module_id }, link));
  }
  document.getElementById("module-count").textContent =
    `${shown.length} of ${modules.length} modules`;
}

// A link to the tree an output names (apflow.task.create_tree, execute, copy, ...).
function treeLink(output) {
  const id = output?.root_task_id ?? output?.task_id;
  if (typeof id !== "string") return null;
  return el("a", { className: "tree-link", href: `#/trees/${encodeURIComponent(id)}`,
                   text: `Show task tree ${id} →` });
}

function showOutcome(box, outcome) {
  clear(box);
  box.className = `outcome ${outcome.ok ? "ok" : "failed"}`;
  const time = el("span", { className: "time", text: `${outcome.duration_ms} ms` });
  if (outcome.ok) {
    box.append(el("h4", {}, "Output ", time), el("pre", { className: "json output",
                                                         text: pretty(outcome.output) }),
               treeLink(outcome.output));
    return;
  }
  const error = outcome.error ?? {};
  box.append(el("h4", {}, "Error ", el("code", { text: error.code ?? "" }), " ", time),
             el("p", { className: "message", text: error.message ?? "the call failed" }),
             error.details ? el("pre", { className: "json", text: pretty(error.details) }) : null);
}

function showProblem(box, message) {
  clear(box);
  box.className = "outcome failed";
  box.append(el("h4", { text: "Not sent" }), el("p", { className: "message", text: message }));
}

function callCard(module) {
  const form = buildForm(module.input_schema ?? {});
  const outcome = el("div", { className: "outcome", "aria-live": "polite" });
  const button = el("button", { type: "submit", className: "primary", text: "Call module" });
  const onsubmit = async (event) => {
    event.preventDefault();
    let input;
    try {
      input = form.read();
    } catch (error) {
      if (!(error instanceof FieldError)) throw error;
      return showProblem(outcome, error.message);
    }
    button.disabled = true;
    outcome.className = "outcome pending";
    outcome.textContent = "Calling…";
    try {
      showOutcome(outcome, await callModule(module.module_id, input));
    } catch (error) {
      showProblem(outcome, error.message);
    } finally {
      button.disabled = false;
    }
  };
  const examples = (module.examples ?? []).filter((e) => e && typeof e.inputs === "object");
  const exampleRow = examples.length === 0 ? null : el("div", { className: "examples" },
    el("span", { className: "hint", text: "Fill in an example:" }),
    examples.map((example, i) => el("button", {
      type: "button", className: "example", text: example.title || `example ${i + 1}`,
      onclick: () => form.fill(example.inputs),
    })));
  const destructive = module.annotations?.destructive
    ? el("span", { className: "warning", text: "This module changes or deletes data." }) : null;
  return el("section", { className: "card" }, el("h3", { text: "Call" }), exampleRow,
    el("form", { id: "call-form", onsubmit, novalidate: true }, form.element,
       el("div", { className: "actions" }, button, destructive)),
    outcome);
}

function schemaCard(title, schema) {
  return el("details", { className: "card schema" }, el("summary", { text: title }),
            el("pre", { className: "json", text: schema ? pretty(schema) : "none declared" }));
}

function renderDetail(module) {
  const detail = clear(document.getElementById("module-detail"));
  if (!module) {
    const text = modules.length ? `No module ${selected} on this server.` : "Loading modules…";
    detail.append(el("p", { className: "hint", text }));
    return;
  }
  const meta = [module.version && `version ${module.version}`,
                module.tags?.length && `tags: ${module.tags.join(", ")}`].filter(Boolean);
  detail.append(
    el("h2", { className: "module-id", text: module.module_id }),
    el("p", { className: "description", text: module.description ?? "" }),
    el("div", { className: "meta" }, badges(module.annotations),
       meta.length ? el("span", { className: "hint", text: meta.join(" · ") }) : null),
    callCard(module),
    module.documentation
      ? el("details", { className: "card schema" }, el("summary", { text: "Documentation" }),
           el("p", { className: "documentation", text: module.documentation }))
      : null,
    schemaCard("Input schema", module.input_schema),
    schemaCard("Output schema", module.output_schema));
}

export async function loadModules() {
  modules = (await getJson("modules")).modules;
  renderList();
  if (selected) renderDetail(modules.find((m) => m.module_id === selected));
}

export function showModule(id) {
  if (selected === id) return;
  selected = id;
  renderList();
  if (id) renderDetail(modules.find((m) => m.module_id === id));
}

document.getElementById("module-filter").addEventListener("input", renderList);
