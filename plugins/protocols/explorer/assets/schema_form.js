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

// Puts a value into a field's control, as the user would have typed or picked it.
function showValue(input, kind, value) {
  if (value === undefined) input.value = "";
  else if (kind === "enum" || kind === "boolean") input.value = JSON.stringify(value);
  else if (kind === "json") input.value = typeof value === "string" ? value : pretty(value);
  else input.value = String(value);
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
  return { name, row, input, read: () => readField(name, schema, kind, input), required,
           fill: (value) => showValue(input, kind, value) };
}

// A JSON text area holding an object: the whole input of a schema without declared
// properties ("input"), or the undeclared properties an open schema also takes ("more").
function objectField(name, title, initial) {
  const id = `field-${name}`;
  const input = el("textarea", { id, name, rows: 4, spellcheck: "false", text: initial });
  const row = el("div", { className: "field kind-json" },
                 el("label", { for: id }, el("span", { className: "name", text: title })), input);
  const read = () => {
    let value;
    try {
      value = JSON.parse(input.value.trim() || "{}");
    } catch (error) {
      throw new FieldError(name, `is not valid JSON (${error.message})`);
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw new FieldError(name, "must be a JSON object");
    }
    return value;
  };
  const fill = (value) => {
    input.value = Object.keys(value).length || name === "input" ? pretty(value) : "";
  };
  return { row, read, fill };
}

// {element, read(), fill(input), fields}: the fields of the schema's properties, required
// ones first; fill() shows an input object (a module's example) in them.
export function buildForm(schema = {}) {
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const names = Object.keys(properties);
  if (names.length === 0) {
    const whole = objectField("input", "input (JSON object)", "{}");
    return { element: el("div", { className: "fields" }, whole.row), read: whole.read,
             fill: (input = {}) => whole.fill(input), fields: [whole] };
  }
  const fields = [...names.filter((n) => required.has(n)), ...names.filter((n) => !required.has(n))]
    .map((name) => propertyField(name, properties[name] ?? {}, required.has(name)));
  const more = schema.additionalProperties === false
    ? null : objectField("more", "more properties (JSON object)", "");
  const element = el("div", { className: "fields" }, fields.map((field) => field.row), more?.row);
  const read = () => {
    const input = more ? more.read() : {};
    for (const field of fields) {
      const value = field.read();
      if (value === undefined && field.required) throw new FieldError(field.name, "is required");
      if (value !== undefined) input[field.name] = value;
    }
    return input;
  };
  const fill = (input = {}) => {
    for (const field of fields) field.fill(input[field.name]);
    more?.fill(Object.fromEntries(Object.entries(input).filter(([key]) => !names.includes(key))));
  };
  return { element, read, fill, fields };
}
