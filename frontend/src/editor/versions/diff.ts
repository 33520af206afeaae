// What changed between an older document and the working one, per node.
import type { ArchDocument } from "../../document/types";
import type { DiffMarks } from "../../ui/store";

export function diffDocuments(older: ArchDocument, newer: ArchDocument, label: string): DiffMarks {
  const before = new Map(older.nodes.map((n) => [n.id, n]));
  const after = new Map(newer.nodes.map((n) => [n.id, n]));
  const added = new Set<string>();
  const changed = new Set<string>();
  for (const [id, node] of after) {
    const old = before.get(id);
    if (!old) added.add(id);
    else if (JSON.stringify(old) !== JSON.stringify(node)) changed.add(id);
  }
  const edgeKey = (e: { source: string; target: string; access?: string }) => `${e.source}>${e.target}:${e.access ?? ""}`;
  const oldEdges = new Set(older.edges.map(edgeKey));
  const newEdges = new Set(newer.edges.map(edgeKey));
  // A new or removed connection changes both of its ends.
  for (const e of [...newer.edges.filter((x) => !oldEdges.has(edgeKey(x))), ...older.edges.filter((x) => !newEdges.has(edgeKey(x)))]) {
    for (const id of [e.source, e.target]) if (after.has(id) && !added.has(id)) changed.add(id);
  }
  const removedNodes = older.nodes.filter((n) => !after.has(n.id));
  return { label, added, changed, removedNodes };
}
