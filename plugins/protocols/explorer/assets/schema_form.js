// A form generated from a module's input JSON Schema: one field per property — text, number,
// a select for enums and booleans, a JSON text area for arrays, objects and mixed types —
// required ones marked, defaults filled in. read() gives the input object, or throws a
// FieldError naming the field that is wrong (the server validates the rest).
import { el, pretty } from "./dom.js";

export class FieldError extends Error {
  constructor(field, message) {
    super(`${field}: ${message}`);
    this.field = field;
  }
}

function typesOf(schema) {
  if (Array.isArray(schema.type)) return schema.type;
  return schema.type ? [schema.type] : [];
}

// How a property is edited: "enum", "boolean", "integer", "number", "text" or "json".
export function fieldKind(schema) {
  if (Array.isArray(schema.enum) || "const" in schema) return "enum";
  const types = typesOf(schema).filter((t) => t !== "null");
  if (types.length !== 1) return "json";
  return { boolean: "boolean", integer: "integer", number: "number", string: "text" }[types[0]]
    ?? "json";
}

function typeHint(schema, kind) {
  if (kind === "enum") return "choose one";
  if (kind === "json") {
    const types = typesOf(schema);
    return types.length ? `JSON ${types.join(" or ")}` : "any JSON value";
  }
  return kind;
}

function enumSelect(id, schema, required) {
  const values = Array.isArray(schema.enum) ? schema.enum : [schema.const];
  const select = el("select", { id });
  if (!required || !("default" in schema)) select.append(el("option", { value: "", text: "—" }));
  for (const value of values) {
    const text = typeof value === "string" ? value : JSON.stringify(value);
    const option = el("option", { value: JSON.stringify(value), text });
    if ("default" in schema && JSON.stringify(schema.default) === JSON.stringify(value)) {
      option.selected = true;
    }
    select.append(option);
  }
  return select;
}

function control(id, schema, kind, required) {
  if (kind === "enum") return enumSelect(id, schema, required);
  if (kind === "boolean") return enumSelect(id, { ...schema, enum: [true, false] }, required);
  const initial = "default" in schema ? schema.default : undefined;
  if (kind === "json") {
    const types = typesOf(schema);
    const placeholder = types.includes("array") ? "[ ]" : types.includes("object") ? "{ }" : "";
    return el("textarea", { id, rows: placeholder ? 6 : 3, spellcheck: "false", placeholder,
                            text: initial === undefined ? "" : pretty(initial) });
  }
  const input = el("input", { id, type: kind === "text" ? "text" : "number" });
  if (kind === "integer") input.step = "1";
  if (kind === "number") input.step = "any";
  if (schema.minimum !== undefined) input.min = schema.minimum;
  if (schema.maximum !== undefined) input.max = schema.maximum;
  if (initial !== undefined) input.value = String(initial);
  return input;
}

// The value a field holds, or undefined when it is empty.
function readField(name, schema, kind, input) {
  const raw = input.value;
  if (raw.trim() === "") return undefined;
  if (kind === "enum" || kind === "boolean") return JSON.parse(raw);
  if (kind === "text") return raw;
  if (kind === "integer" || kind === "number") {
    const number = Number(raw);
    if (!Number.isFinite(number)) throw new FieldError(name, "is not a number");
    if (kind === "integer" && !Number.isInteger(number)) {
      throw new FieldError(name, "must be a whole number");
    }
    return number;
  }
  try {
    return JSON.parse(raw);
  } catch (error) {
    // A field that may be a string takes plain text too.
    if (typesOf(schema).includes("string")) return raw;
    throw new FieldError(name, `is not valid JSON (${error.message})`);
  }
}

function propertyField(name, schema, required) {
  const kind = fieldKind(schema);
  const id = `field-${name}`;
  const input = control(id, schema, kind, required);
  input.name = name;
  if (required) input.required = true;
  const label = el("label", { for: id },
    el("span", { className: "name", text: name }),
    required ? el("span", { className: "required", title: "required", text: "*" }) : null,
    el("span", { className: "type", text: typeHint(schema, kind) }));
  const help = schema.description ? el("p", { className: "help", text: schema.description }) : null;
  const row = el("div", { className: `field kind-${kind}` }, label, input, help);
  return { name, row, input, read: () => readField(name, schema, kind, input), required };
}

// A schema without declared properties takes any object: one JSON text area for all of it.
function wholeInputField() {
  const input = el("textarea", { id: "field-input", name: "input", rows: 6, spellcheck: "false",
                                 text: "{}" });
  const label = el("label", { for: "field-input" }, el("span", { className: "name",
                                                                 text: "input (JSON object)" }));
  const row = el("div", { className: "field kind-json" }, label, input);
  const read = () => {
    let value;
    try {
      value = JSON.parse(input.value.trim() || "{}");
    } catch (error) {
      throw new FieldError("input", `is not valid JSON (${error.message})`);
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw new FieldError("input", "must be a JSON object");
    }
    return value;
  };
  return { row, read, whole: true };
}

// {element, read(), fields}: the fields of the schema's properties, required ones first.
export function buildForm(schema = {}) {
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const names = Object.keys(properties);
  const fields = names.length === 0
    ? [wholeInputField()]
    : [...names.filter((n) => required.has(n)), ...names.filter((n) => !required.has(n))]
        .map((name) => propertyField(name, properties[name] ?? {}, required.has(name)));
  const element = el("div", { className: "fields" }, fields.map((field) => field.row));
  const read = () => {
    if (fields[0]?.whole) return fields[0].read();
    const input = {};
    for (const field of fields) {
      const value = field.read();
      if (value === undefined && field.required) throw new FieldError(field.name, "is required");
      if (value !== undefined) input[field.name] = value;
    }
    return input;
  };
  return { element, read, fields };
}
