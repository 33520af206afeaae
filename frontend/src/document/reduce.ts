// A pure reducer applying one op to a document, mirroring the server's
// builder/collab/ops.py so the canvas can show an edit before the server confirms it.
// Unchanged nodes and edges keep their identity, which lets the canvas skip them.
import type { ArchDocument, DocEdge, DocNode, Op } from "./types";

export class OpError extends Error {}

// Like the server: "props.memory_mb" sets one key of a map, anything else a field.
function patch<T extends object>(item: T, set?: Record<string, unknown>, unset?: string[]): T {
  const out: Record<string, unknown> = { ...(item as Record<string, unknown>) };
  for (const [key, value] of Object.entries(set ?? {})) {
    const dot = key.indexOf(".");
    if (dot < 0) out[key] = value;
    else {
      const head = key.slice(0, dot);
      const inner = out[head];
      out[head] = { ...(inner && typeof inner === "object" ? inner : {}), [key.slice(dot + 1)]: value };
    }
  }
  for (const key of unset ?? []) {
    const dot = key.indexOf(".");
    if (dot < 0) delete out[key];
    else {
      const head = key.slice(0, dot);
      const inner = out[head];
      if (inner && typeof inner === "object") {
        const copy = { ...(inner as Record<string, unknown>) };
        delete copy[key.slice(dot + 1)];
        out[head] = copy;
      }
    }
  }
  return out as T;
}

// Like the server's _insert: an index out of range (or none) appends.
function insert<T>(items: T[], item: T, index: number | undefined): T[] {
  const at = index !== undefined && Number.isInteger(index) && index >= 0 && index <= items.length ? index : items.length;
  return [...items.slice(0, at), item, ...items.slice(at)];
}

// Node and edge ids share one namespace, as on the server.
function idTaken(doc: ArchDocument, id: string): boolean {
  return doc.nodes.some((n) => n.id === id) || doc.edges.some((e) => e.id === id);
}

function requireNode(doc: ArchDocument, id: string): DocNode {
  const node = doc.nodes.find((n) => n.id === id);
  if (!node) throw new OpError(`node ${id} does not exist`);
  return node;
}

/** Ids of a node and every node nested inside it. */
export function withDescendants(doc: ArchDocument, ids: Iterable<string>): Set<string> {
  const out = new Set(ids);
  let grew = true;
  while (grew) {
    grew = false;
    for (const n of doc.nodes) {
      if (n.parent && out.has(n.parent) && !out.has(n.id)) {
        out.add(n.id);
        grew = true;
      }
    }
  }
  return out;
}

export function applyOp(doc: ArchDocument, op: Op): ArchDocument {
  switch (op.type) {
    case "add_node":
      if (idTaken(doc, op.node.id)) throw new OpError(`id ${op.node.id} is taken`);
      return { ...doc, nodes: insert(doc.nodes, op.node, op.index) };
    case "update_node":
      requireNode(doc, op.id);
      return {
        ...doc,
        nodes: doc.nodes.map((n) => (n.id === op.id ? patch(n, op.set, op.unset) : n)),
      };
    case "move_node":
      requireNode(doc, op.id);
      return {
        ...doc,
        nodes: doc.nodes.map((n) =>
          n.id === op.id
            ? { ...n, position: op.position, ...(op.parent !== undefined ? { parent: op.parent } : {}) }
            : n,
        ),
      };
    case "delete_node": {
      requireNode(doc, op.id);
      const gone = withDescendants(doc, [op.id]);
      return {
        ...doc,
        nodes: doc.nodes.filter((n) => !gone.has(n.id)),
        edges: doc.edges.filter((e) => !gone.has(e.source) && !gone.has(e.target)),
      };
    }
    case "add_edge":
      if (idTaken(doc, op.edge.id)) throw new OpError(`id ${op.edge.id} is taken`);
      for (const end of [op.edge.source, op.edge.target]) requireNode(doc, end);
      return { ...doc, edges: insert(doc.edges, op.edge, op.index) };
    case "update_edge":
      if (!doc.edges.some((e) => e.id === op.id)) throw new OpError(`edge ${op.id} does not exist`);
      return {
        ...doc,
        edges: doc.edges.map((e) => (e.id === op.id ? patch<DocEdge>(e, op.set, op.unset) : e)),
      };
    case "delete_edge":
      if (!doc.edges.some((e) => e.id === op.id)) throw new OpError(`edge ${op.id} does not exist`);
      return { ...doc, edges: doc.edges.filter((e) => e.id !== op.id) };
    case "set_document":
      return "document" in op ? op.document : patch(doc, op.set, op.unset);
    case "batch":
      return op.ops.reduce(applyOp, doc);
  }
}
