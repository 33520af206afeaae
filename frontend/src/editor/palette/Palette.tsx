// The catalog's types grouped by category, searchable; drag one onto the canvas, or
// click it to add it in the middle of the view.
import { useMemo, useState, type DragEvent } from "react";
import { iconUrl } from "../../catalog/icons";
import { useCatalog } from "../../catalog/store";
import { PALETTE_MIME } from "../canvas/Canvas";

const CATEGORY_TITLES: Record<string, string> = {
  api: "API", analytics: "Analytics", compute: "Compute", containers: "Containers",
  database: "Database", integration: "Application integration", networking: "Networking",
  observability: "Observability", security: "Security & identity", storage: "Storage",
};

export function Palette({ readOnly }: { readOnly: boolean }) {
  const catalog = useCatalog((s) => s.catalog)!;
  const [query, setQuery] = useState("");
  const groups = useMemo(() => catalog.grouped(query), [catalog, query]);
  const onDragStart = (event: DragEvent, type: string) => {
    event.dataTransfer.setData(PALETTE_MIME, type);
    event.dataTransfer.effectAllowed = "copy";
  };
  return (
    <aside className="palette" aria-label="Components">
      <input
        className="search"
        type="search"
        placeholder="Search services…"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        aria-label="Search services"
      />
      <div className="palette-groups">
        {groups.map(([category, types]) => (
          <section key={category}>
            <h4>{CATEGORY_TITLES[category] ?? category}</h4>
            {types.map((t) => (
              <button
                key={t.type}
                className="palette-item"
                draggable={!readOnly}
                disabled={readOnly}
                data-type={t.type}
                title={t.description}
                onDragStart={(e) => onDragStart(e, t.type)}
                onClick={() => window.dispatchEvent(new CustomEvent("cloudwright:add", { detail: { type: t.type } }))}
              >
                <img src={iconUrl(t.icon)} alt="" draggable={false} />
                <span>{t.title}</span>
              </button>
            ))}
          </section>
        ))}
        {groups.length === 0 && <p className="muted">No service matches “{query}”.</p>}
      </div>
    </aside>
  );
}
