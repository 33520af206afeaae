// Inline validation of one value against its JSON Schema, for the fields the catalog
// uses (type, enum, bounds, lengths, pattern, cidr format, arrays of objects). The
// server validates again; this only tells the user before they leave the field.
import type { JsonSchema } from "../../catalog/types";

function cidrOk(value: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value);
  if (!m) return false;
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (octets.some((o) => o > 255) || bits > 32) return false;
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const hostBits = 32 - bits;
  return hostBits === 32 ? address === 0 : address % 2 ** hostBits === 0;
}

export function validateValue(schema: JsonSchema, value: unknown, label = "Value"): string | null {
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (schema.enum && !schema.enum.includes(value)) return `${label} must be one of ${schema.enum.join(", ")}.`;
  if (type === "integer" || type === "number") {
    if (typeof value !== "number" || Number.isNaN(value)) return `${label} must be a number.`;
    if (type === "integer" && !Number.isInteger(value)) return `${label} must be a whole number.`;
    if (schema.minimum !== undefined && value < schema.minimum) return `${label} must be at least ${schema.minimum}.`;
    if (schema.maximum !== undefined && value > schema.maximum) return `${label} must be at most ${schema.maximum}.`;
  }
  if (type === "string") {
    if (typeof value !== "string") return `${label} must be text.`;
    if (schema.minLength !== undefined && value.length < schema.minLength) return schema.minLength === 1 ? `${label} is required.` : `${label} needs at least ${schema.minLength} characters.`;
    if (schema.maxLength !== undefined && value.length > schema.maxLength) return `${label} must be at most ${schema.maxLength} characters.`;
    if (schema.pattern && value !== "" && !new RegExp(schema.pattern).test(value)) return `${label} has an invalid format.`;
    if (schema.format === "ipv4-cidr" && !cidrOk(value)) return `${label} must be an IPv4 CIDR block like 10.0.0.0/16.`;
  }
  if (type === "boolean" && typeof value !== "boolean") return `${label} must be on or off.`;
  if (type === "array") {
    if (!Array.isArray(value)) return `${label} must be a list.`;
    if (schema.maxItems !== undefined && value.length > schema.maxItems) return `${label} has more than ${schema.maxItems} items.`;
    if (schema.items) {
      for (const [i, item] of value.entries()) {
        const err = validateValue(schema.items, item, `Item ${i + 1}`);
        if (err) return err;
      }
    }
  }
  if (type === "object") {
    if (!value || typeof value !== "object" || Array.isArray(value)) return `${label} must be an object.`;
    const obj = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in obj)) return `${label}: ${key} is required.`;
    for (const [key, v] of Object.entries(obj)) {
      const sub = schema.properties?.[key];
      if (!sub) {
        if (schema.additionalProperties === false) return `${label}: unknown field ${key}.`;
        continue;
      }
      const err = validateValue(sub, v, `${label} ${key}`);
      if (err) return err;
    }
  }
  return null;
}
