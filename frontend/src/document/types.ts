// The architecture document (shared/graph-format.md, cloudwright/v1) and the ops the
// collaboration protocol carries (docs/collaboration.md).

export interface XY {
  x: number;
  y: number;
}

export interface Size {
  width: number;
  height: number;
}

export interface DocNode {
  id: string;
  type: string;
  name: string;
  parent?: string | null;
  /** Relative to the parent container when there is one (as React Flow draws it). */
  position: XY;
  size?: Size;
  props?: Record<string, unknown>;
  usage?: Record<string, number>;
}

export interface DocEdge {
  id: string;
  source: string;
  target: string;
  access?: "read" | "write" | "read_write";
  name?: string;
}

export interface ArchDocument {
  format: "cloudwright/v1";
  name: string;
  description?: string;
  region?: string;
  nodes: DocNode[];
  edges: DocEdge[];
  metadata?: Record<string, unknown>;
}

/** Document fields `set_document` may set or unset (besides replacing the whole document). */
export type DocumentField = "name" | "region" | "description" | "metadata";

export type Op =
  | { type: "add_node"; node: DocNode; index?: number }
  | { type: "update_node"; id: string; set?: Record<string, unknown>; unset?: string[] }
  | { type: "move_node"; id: string; position: XY; parent?: string | null }
  | { type: "delete_node"; id: string }
  | { type: "add_edge"; edge: DocEdge; index?: number }
  | { type: "update_edge"; id: string; set?: Record<string, unknown>; unset?: string[] }
  | { type: "delete_edge"; id: string }
  | { type: "set_document"; document: ArchDocument }
  | { type: "set_document"; set?: Partial<Record<DocumentField, unknown>>; unset?: DocumentField[] }
  | { type: "batch"; ops: Op[] };

export function emptyDocument(name: string): ArchDocument {
  return { format: "cloudwright/v1", name, region: "us-east-1", nodes: [], edges: [] };
}
