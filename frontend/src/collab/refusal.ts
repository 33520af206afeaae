// What the user reads when an edit is refused: components by their names (the id
// only next to a name that several components share), and each problem once. The
// server's messages name ids, quoted ('subnet_fw1ku'), and its `reason` repeats the
// first of its `errors`.
import type { FieldError } from "../api/client";
import type { ArchDocument, DocEdge, DocNode, Op } from "../document/types";

/** Labels of the components and connections a refusal may name, by id. */
export type Labels = Map<string, string>;

function added(op: Op | undefined): { nodes: DocNode[]; edges: DocEdge[] } {
  if (!op) return { nodes: [], edges: [] };
  if (op.type === "add_node") return { nodes: [op.node], edges: [] };
  if (op.type === "add_edge") return { nodes: [], edges: [op.edge] };
  if (op.type !== "batch") return { nodes: [], edges: [] };
  const parts = op.ops.map(added);
  return { nodes: parts.flatMap((p) => p.nodes), edges: parts.flatMap((p) => p.edges) };
}

/** The document's components and connections, and those `op` would have added. */
export function labelsOf(doc: ArchDocument | null | undefined, op?: Op): Labels {
  const extra = added(op);
  const nodes = [...(doc?.nodes ?? []), ...extra.nodes];
  const edges = [...(doc?.edges ?? []), ...extra.edges];
  const uses = new Map<string, number>();
  for (const n of nodes) uses.set(n.name, (uses.get(n.name) ?? 0) + 1);
  const labels: Labels = new Map();
  for (const n of nodes) labels.set(n.id, (uses.get(n.name) ?? 0) > 1 || !n.name ? `“${n.name || n.type}” (${n.id})` : `“${n.name}”`);
  for (const e of edges) labels.set(e.id, e.name ? `“${e.name}”` : `${labels.get(e.source) ?? e.source} → ${labels.get(e.target) ?? e.target}`);
  return labels;
}

/** Quoted ids the labels know, replaced by their labels. */
export const relabel = (text: string, labels: Labels) => text.replace(/'([^'\s]+)'/g, (quoted, id: string) => labels.get(id) ?? quoted);

/** What the user was doing, for "… was refused" and "… could not be applied". */
export function describeEdit(edit: Op | "undo" | "redo" | undefined, labels: Labels): string {
  if (edit === "undo") return "Undo";
  if (edit === "redo") return "Redo";
  const name = (id: string, fallback: string) => labels.get(id) ?? fallback;
  switch (edit?.type) {
    case "add_node":
      return `Adding ${name(edit.node.id, "the component")}`;
    case "update_node":
    case "move_node":
      return `Changing ${name(edit.id, "the component")}`;
    case "delete_node":
      return `Deleting ${name(edit.id, "the component")}`;
    case "add_edge":
      return `Connecting ${name(edit.edge.source, "the component")} to ${name(edit.edge.target, "the component")}`;
    case "update_edge":
      return "Changing the connection";
    case "delete_edge":
      return "Deleting the connection";
    case "set_document":
      return "Changing the architecture";
    default:
      return "Your change";
  }
}

/** The id the edit is about, when it is about one thing. */
function subjectOf(edit: Op | "undo" | "redo" | undefined): string | undefined {
  if (edit === undefined || typeof edit === "string") return undefined;
  if (edit.type === "add_node") return edit.node.id;
  if (edit.type === "add_edge") return edit.edge.id;
  return "id" in edit ? edit.id : undefined;
}

export interface Refusal {
  message: string;
  detail?: string[];
}

/** The notice for a refused edit: one sentence, or a list when there are several problems. */
export function describeRefusal(edit: Op | "undo" | "redo" | undefined, reason: string, errors: FieldError[], labels: Labels): Refusal {
  const what = describeEdit(edit, labels);
  const subject = subjectOf(edit);
  const lines = [
    ...new Set(
      errors.map((e) => {
        const about = e.node_id ?? e.edge_id;
        const prefix = about && about !== subject && labels.has(about) ? `${labels.get(about)}: ` : "";
        return prefix + relabel(e.message, labels);
      }),
    ),
  ];
  if (lines.length > 1) return { message: `${what} was refused for ${lines.length} reasons:`, detail: lines };
  return { message: `${what} was refused: ${lines[0] ?? relabel(reason, labels)}` };
}
