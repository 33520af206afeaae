// One form field rendered from a JSON Schema property, with inline validation.
// Text is committed on blur or Enter; choices and switches at once.
import { useEffect, useState } from "react";
import type { JsonSchema } from "../../catalog/types";
import { validateValue } from "./validate";

export function humanize(key: string): string {
  const words = key.replace(/_/g, " ").replace(/\b(mb|gb|s|ms|az|id|ip|cidr|mfa|kms|sse)\b/gi, (w) => w.toUpperCase());
  return words.charAt(0).toUpperCase() + words.slice(1);
}

interface Props {
  name: string;
  schema: JsonSchema;
  value: unknown;
  isDefault: boolean;
  disabled: boolean;
  onCommit(value: unknown): void;
  onReset(): void;
}

function toText(schema: JsonSchema, value: unknown): string {
  const type = schema.type;
  if (type === "array" || type === "object") return JSON.stringify(value ?? schema.default, null, 2);
  return value === undefined || value === null ? "" : String(value);
}

function fromText(schema: JsonSchema, text: string): unknown {
  const type = schema.type;
  if (type === "integer" || type === "number") return text.trim() === "" ? Number.NaN : Number(text);
  if (type === "array" || type === "object") {
    try {
      return JSON.parse(text);
    } catch {
      return Symbol.for("invalid-json");
    }
  }
  return text;
}

export function SchemaField({ name, schema, value, isDefault, disabled, onCommit, onReset }: Props) {
  const label = humanize(name);
  const [text, setText] = useState(toText(schema, value));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setText(toText(schema, value));
    setError(null);
  }, [schema, value]);

  const commit = (raw: unknown) => {
    if (raw === Symbol.for("invalid-json")) {
      setError(`${label} is not valid JSON.`);
      return;
    }
    const problem = validateValue(schema, raw, label);
    setError(problem);
    if (!problem && JSON.stringify(raw) !== JSON.stringify(value)) onCommit(raw);
  };

  const id = `field-${name}`;
  let control;
  if (schema.type === "boolean") {
    control = (
      <label className="switch">
        <input id={id} name={name} type="checkbox" checked={Boolean(value)} disabled={disabled} onChange={(e) => commit(e.target.checked)} />
        <span>{value ? "On" : "Off"}</span>
      </label>
    );
  } else if (schema.enum) {
    control = (
      <select
        id={id}
        name={name}
        value={JSON.stringify(value)}
        disabled={disabled}
        onChange={(e) => commit(JSON.parse(e.target.value))}
      >
        {schema.enum.map((option) => (
          <option key={JSON.stringify(option)} value={JSON.stringify(option)}>
            {String(option)}
          </option>
        ))}
      </select>
    );
  } else {
    const multiline = schema.type === "array" || schema.type === "object" || name === "code" || name === "event_pattern";
    const common = {
      id,
      name,
      value: text,
      disabled,
      "aria-invalid": error ? true : undefined,
      onChange: (e: { target: { value: string } }) => {
        setText(e.target.value);
        const parsed = fromText(schema, e.target.value);
        setError(parsed === Symbol.for("invalid-json") ? `${label} is not valid JSON.` : validateValue(schema, parsed, label));
      },
      onBlur: () => commit(fromText(schema, text)),
    };
    control = multiline ? (
      <textarea {...common} rows={name === "code" ? 8 : 4} spellCheck={false} className="mono" />
    ) : (
      <input
        {...common}
        type={schema.type === "integer" || schema.type === "number" ? "number" : "text"}
        onKeyDown={(e) => e.key === "Enter" && (e.target as HTMLInputElement).blur()}
      />
    );
  }

  return (
    <div className={`field${error ? " has-error" : ""}`}>
      <div className="field-label">
        <label htmlFor={id}>{label}</label>
        {!isDefault && !disabled && (
          <button className="link-button" onClick={onReset} title={`Reset to ${JSON.stringify(schema.default)}`}>
            reset
          </button>
        )}
      </div>
      {control}
      {error ? <div className="field-error" role="alert">{error}</div> : schema.description && <div className="field-help">{schema.description}</div>}
    </div>
  );
}
