// A pure reducer applying one op to a document, mirroring the server's
// builder/collab/ops.py so the canvas can show an edit before the server confirms it.
// Unchanged nodes and edges keep their identity, which lets the canvas skip them.
import type { ArchDocument, DocEdge, DocNode, Op } from "./types";

export class OpError extends Error {}

function setPath<T extends object>(target: T, path: string, value: unknown): T {
  const [head, ...rest] = path.split(".");
  const copy: Record<string, unknown> = { ...(target as Record<string, unknown>) };
  if (rest.length === 0) {
    copy[head] = value;
  } else {
    const inner = (copy[head] as Record<string, unknown> | undefined) ?? {};
    copy[head] = setPath(inner, rest.join("."), value);
  }
  return copy as T;
}

function unsetPath<T extends object>(target: T, path: string): T {
  const [head, ...rest] = path.split(".");
  const copy: Record<string, unknown> = { ...(target as Record<string, unknown>) };
  if (rest.length === 0) {
    delete copy[head];
  } else if (copy[head] && typeof copy[head] === "object") {
    copy[head] = unsetPath(copy[head] as object, rest.join("."));
  }
  return copy as T;
}

function patch<T extends object>(item: T, set?: Record<string, unknown>, unset?: string[]): T {
  let out = item;
  for (const [path, value] of Object.entries(set ?? {})) out = setPath(out, path, value);
  for (const path of unset ?? []) out = unsetPath(out, path);
  return out;
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
      if (doc.nodes.some((n) => n.id === op.node.id)) throw new OpError(`node ${op.node.id} exists`);
      return { ...doc, nodes: [...doc.nodes, op.node] };
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
      if (doc.edges.some((e) => e.id === op.edge.id)) throw new OpError(`edge ${op.edge.id} exists`);
      return { ...doc, edges: [...doc.edges, op.edge] };
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
      return op.document;
    case "batch":
      return op.ops.reduce(applyOp, doc);
  }
}
