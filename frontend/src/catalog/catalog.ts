// Lookups over the catalog: types by name, edge rules by pair, what a source accepts.
import type { CatalogJson, CatalogType, EdgeRule } from "./types";

export const CATEGORY_ORDER = [
  "networking", "compute", "containers", "api", "integration", "database", "storage",
  "analytics", "security", "observability",
];

export class Catalog {
  readonly types: Map<string, CatalogType>;
  private readonly pairs = new Map<string, EdgeRule>();

  constructor(readonly raw: CatalogJson) {
    this.types = new Map(raw.types.map((t) => [t.type, t]));
    for (const rule of raw.edges) {
      for (const s of rule.sources) for (const t of rule.targets) this.pairs.set(`${s}>${t}`, rule);
    }
  }

  type(name: string): CatalogType | undefined {
    return this.types.get(name);
  }

  title(name: string): string {
    return this.types.get(name)?.title ?? name;
  }

  ruleFor(source: string, target: string): EdgeRule | undefined {
    return this.pairs.get(`${source}>${target}`);
  }

  targetsOf(source: string): string[] {
    return this.raw.edges.filter((r) => r.sources.includes(source)).flatMap((r) => r.targets);
  }

  /** Why `source -> target` is refused, naming what the source accepts. */
  refusal(source: string, target: string): string {
    const accepted = [...new Set(this.targetsOf(source).map((t) => this.title(t)))];
    const head = `${this.title(source)} cannot connect to ${this.title(target)}.`;
    return accepted.length
      ? `${head} It accepts: ${accepted.join(", ")}.`
      : `${head} It does not start any connection; connect other components to it instead.`;
  }

  /** Why `child` may not sit in `parent` (null when it may). */
  placementRefusal(child: string, parent: string | null): string | null {
    const t = this.types.get(child);
    if (!t) return null;
    const allowed = t.placement.parents;
    if (parent === null) {
      return t.placement.required
        ? `${t.title} must sit inside ${allowed.map((p) => this.title(p)).join(" or ")}.`
        : null;
    }
    if (allowed.includes(parent)) return null;
    return allowed.length
      ? `${t.title} cannot sit inside ${this.title(parent)}; it goes in ${allowed.map((p) => this.title(p)).join(" or ")}.`
      : `${t.title} is not placed inside containers.`;
  }

  grouped(query = ""): [string, CatalogType[]][] {
    const q = query.trim().toLowerCase();
    const hits = this.raw.types.filter(
      (t) => !q || `${t.title} ${t.type} ${t.category} ${t.description}`.toLowerCase().includes(q),
    );
    const groups = new Map<string, CatalogType[]>();
    for (const t of hits) groups.set(t.category, [...(groups.get(t.category) ?? []), t]);
    const rank = (c: string) => (CATEGORY_ORDER.indexOf(c) + 100) % 100;
    return [...groups.entries()].sort((a, b) => rank(a[0]) - rank(b[0]) || a[0].localeCompare(b[0]));
  }

  defaultProps(name: string): Record<string, unknown> {
    const props = this.types.get(name)?.props_schema.properties ?? {};
    return Object.fromEntries(Object.entries(props).map(([k, s]) => [k, s.default]));
  }
}
