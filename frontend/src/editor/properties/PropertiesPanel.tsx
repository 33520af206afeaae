// The selected node's name, props and usage (forms from the catalog's schemas), or
// the selected edge's access and what it generates.
import { useState } from "react";
import { iconUrl } from "../../catalog/icons";
import { useCatalog } from "../../catalog/store";
import type { JsonSchema } from "../../catalog/types";
import { useSession } from "../../collab/context";
import { useView } from "../../document/store";
import type { DocEdge, DocNode } from "../../document/types";
import { useUi } from "../../ui/store";
import { deleteOp } from "../commands";
import { SchemaField } from "./SchemaField";

function Section({ title, fields, values, prefix, node, readOnly }: {
  title: string;
  fields: Record<string, JsonSchema>;
  values: Record<string, unknown>;
  prefix: "props" | "usage";
  node: DocNode;
  readOnly: boolean;
}) {
  const session = useSession();
  const entries = Object.entries(fields);
  if (entries.length === 0) return null;
  return (
    <section className="panel-section">
      <h4>{title}</h4>
      {entries.map(([key, schema]) => (
        <SchemaField
          key={`${node.id}-${prefix}-${key}`}
          name={key}
          schema={schema}
          value={key in values ? values[key] : schema.default}
          isDefault={!(key in values)}
          disabled={readOnly}
          onCommit={(value) => session.apply({ type: "update_node", id: node.id, set: { [`${prefix}.${key}`]: value } })}
          onReset={() => session.apply({ type: "update_node", id: node.id, unset: [`${prefix}.${key}`] })}
        />
      ))}
    </section>
  );
}

function NameField({ node, readOnly }: { node: DocNode; readOnly: boolean }) {
  const session = useSession();
  const [name, setName] = useState(node.name);
  const [editing, setEditing] = useState(false);
  const shown = editing ? name : node.name;
  const commit = () => {
    setEditing(false);
    const trimmed = name.trim();
    if (trimmed && trimmed !== node.name && trimmed.length <= 128) session.apply({ type: "update_node", id: node.id, set: { name: trimmed } });
  };
  return (
    <input
      className="name-input"
      aria-label="Name"
      value={shown}
      maxLength={128}
      disabled={readOnly}
      onFocus={() => { setName(node.name); setEditing(true); }}
      onChange={(e) => setName(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => e.key === "Enter" && (e.target as HTMLInputElement).blur()}
    />
  );
}

function NodeProperties({ node, readOnly }: { node: DocNode; readOnly: boolean }) {
  const catalog = useCatalog((s) => s.catalog)!;
  const type = catalog.type(node.type);
  const session = useSession();
  const view = useView()!;
  if (!type) return <p className="muted">Unknown type {node.type}.</p>;
  return (
    <div className="properties" data-testid="properties">
      <header className="properties-head">
        <img src={iconUrl(type.icon)} alt="" />
        <div>
          <NameField key={node.id} node={node} readOnly={readOnly} />
          <div className="muted small">{type.title} · <code>{node.id}</code></div>
        </div>
      </header>
      <p className="muted small">{type.description}</p>
      <Section title="Properties" fields={type.props_schema.properties} values={node.props ?? {}} prefix="props" node={node} readOnly={readOnly} />
      <Section title="Usage (for cost estimates)" fields={type.usage_schema.properties} values={node.usage ?? {}} prefix="usage" node={node} readOnly={readOnly} />
      {!readOnly && (
        <button className="danger" onClick={() => { const op = deleteOp(view, [node.id], []); if (op) session.apply(op); }}>
          Delete component
        </button>
      )}
    </div>
  );
}

function EdgeProperties({ edge, readOnly }: { edge: DocEdge; readOnly: boolean }) {
  const catalog = useCatalog((s) => s.catalog)!;
  const view = useView()!;
  const session = useSession();
  const source = view.nodes.find((n) => n.id === edge.source);
  const target = view.nodes.find((n) => n.id === edge.target);
  const rule = source && target ? catalog.ruleFor(source.type, target.type) : undefined;
  const levels = target ? (catalog.type(target.type)?.access_levels ?? []) : [];
  return (
    <div className="properties" data-testid="edge-properties">
      <h3>{source?.name} → {target?.name}</h3>
      {rule && <p className="muted small">{rule.generates}</p>}
      {rule?.access && (
        <div className="field">
          <div className="field-label"><label htmlFor="edge-access">Access</label></div>
          <select id="edge-access" value={edge.access ?? "read_write"} disabled={readOnly} onChange={(e) => session.apply({ type: "update_edge", id: edge.id, set: { access: e.target.value } })}>
            {levels.map((l) => <option key={l} value={l}>{l.replace("_", " / ")}</option>)}
          </select>
          <div className="field-help">IAM actions granted on this one {catalog.title(target!.type)}.</div>
        </div>
      )}
      {!readOnly && <button className="danger" onClick={() => session.apply({ type: "delete_edge", id: edge.id })}>Delete connection</button>}
    </div>
  );
}

export function PropertiesPanel({ readOnly }: { readOnly: boolean }) {
  const view = useView()!;
  const selectedNodes = useUi((s) => s.selectedNodes);
  const selectedEdges = useUi((s) => s.selectedEdges);
  if (selectedNodes.length === 1) {
    const node = view.nodes.find((n) => n.id === selectedNodes[0]);
    if (node) return <NodeProperties node={node} readOnly={readOnly} />;
  }
  if (selectedNodes.length === 0 && selectedEdges.length === 1) {
    const edge = view.edges.find((e) => e.id === selectedEdges[0]);
    if (edge) return <EdgeProperties edge={edge} readOnly={readOnly} />;
  }
  if (selectedNodes.length + selectedEdges.length > 1) {
    return <div className="panel-empty">{selectedNodes.length} components and {selectedEdges.length} connections selected. Press Delete to remove them, or Ctrl+C to copy.</div>;
  }
  return (
    <div className="panel-empty">
      <p>Select a component to edit its properties.</p>
      <p className="muted small">{view.nodes.length} components · {view.edges.length} connections · {view.region ?? "us-east-1"}</p>
    </div>
  );
}
