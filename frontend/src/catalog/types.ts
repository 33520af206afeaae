// The catalog as GET /api/catalog/ serves it (builder/catalog/loader.py Catalog.to_json).

export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  default?: unknown;
  description?: string;
  title?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  items?: JsonSchema;
  maxItems?: number;
  minItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean;
}

export interface CatalogType {
  type: string;
  title: string;
  category: string;
  icon: string;
  description: string;
  container: boolean;
  placement: { parents: string[]; required: boolean; spread: boolean; public_subnet: boolean };
  props_schema: JsonSchema & { properties: Record<string, JsonSchema> };
  usage_schema: JsonSchema & { properties: Record<string, JsonSchema> };
  access_levels: string[];
}

export interface EdgeRule {
  kind: string;
  sources: string[];
  targets: string[];
  access: boolean;
  generates: string;
}

export interface CatalogJson {
  format: string;
  types: CatalogType[];
  edges: EdgeRule[];
}
