// Names for the API's resources, taken from the generated OpenAPI types (schema.d.ts,
// `npm run gen:api`), so a change in the API shows up as a type error here.
import type { ArchDocument } from "../document/types";
import type { components } from "./schema";

type Schemas = components["schemas"];

export type User = Schemas["User"];
export type Project = Schemas["Project"];
export type Membership = Schemas["Membership"];
export type ApiToken = Schemas["ApiToken"];
export type NewApiToken = Schemas["NewApiToken"];
export type ArchitectureSummary = Schemas["ArchitectureSummary"];
export type Architecture = Omit<Schemas["Architecture"], "document" | "revision"> & { document: ArchDocument; revision: number };
export type VersionSummary = Schemas["VersionSummary"];
export type Version = Omit<Schemas["Version"], "document"> & { document: ArchDocument };
export type Job = Schemas["Job"];
/** Generated files: text by path, and the size in bytes of binary ones (function zips). */
export type GeneratedFiles = Schemas["Files"];
export type Paginated<T> = { count?: number; next?: string | null; previous?: string | null; results: T[] };
