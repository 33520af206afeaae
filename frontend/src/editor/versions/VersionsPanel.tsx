// Named versions: save the current state with a message, list them, show what
// changed since one on the canvas, restore one.
import { useCallback, useEffect, useState } from "react";
import { api, items } from "../../api/client";
import { useView } from "../../document/store";
import type { Version, VersionSummary } from "../../api/models";
import { useUi } from "../../ui/store";
import { diffDocuments } from "./diff";


const author = (v: VersionSummary) => v.author?.username ?? "";

export function VersionsPanel({ architectureId, readOnly }: { architectureId: string; readOnly: boolean }) {
  const view = useView()!;
  const { notify, setDiff, diff } = useUi();
  const [versions, setVersions] = useState<VersionSummary[] | null>(null);
  const [message, setMessage] = useState("");
  const [busy, setBusy] = useState(false);
  const base = `/api/architectures/${architectureId}/versions/`;

  const refresh = useCallback(async () => {
    try {
      setVersions(items(await api.get<VersionSummary[] | { results: VersionSummary[] }>(base)));
    } catch (e) {
      notify("error", `Could not load versions: ${(e as Error).message}`);
    }
  }, [base, notify]);

  useEffect(() => {
    refresh();
  }, [refresh]);

  const save = async () => {
    setBusy(true);
    try {
      const text = message.trim() || "Saved version";
      // The first line names the version; the whole text is its message.
      await api.post(base, { name: text.split("\n")[0].slice(0, 128), message: text });
      setMessage("");
      notify("success", "Version saved.");
      await refresh();
    } catch (e) {
      notify("error", `Could not save the version: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  const showDiff = async (v: VersionSummary) => {
    try {
      const full = await api.get<Version>(`${base}${v.id}/`);
      setDiff(diffDocuments(full.document, view, v.name));
    } catch (e) {
      notify("error", `Could not load that version: ${(e as Error).message}`);
    }
  };

  const restore = async (v: VersionSummary) => {
    if (!window.confirm(`Restore “${v.name}”? The current state stays in the history.`)) return;
    try {
      await api.post(`${base}${v.id}/restore/`);
      setDiff(null);
      notify("success", `Restored “${v.name}”.`);
      await refresh();
    } catch (e) {
      notify("error", `Could not restore: ${(e as Error).message}`);
    }
  };

  return (
    <div className="versions-panel" data-testid="versions-panel">
      {!readOnly && (
        <form className="inline-form" onSubmit={(e) => { e.preventDefault(); save(); }}>
          <input aria-label="Version message" placeholder="What changed?" value={message} onChange={(e) => setMessage(e.target.value)} maxLength={200} />
          <button className="primary" type="submit" disabled={busy}>Save version</button>
        </form>
      )}
      {diff && (
        <div className="diff-legend">
          <strong>Changes since “{diff.label}”</strong>
          <span className="legend added">{diff.added.size} added</span>
          <span className="legend changed">{diff.changed.size} changed</span>
          <span className="legend removed">{diff.removedNodes.length} removed</span>
          <button className="link-button" onClick={() => setDiff(null)}>hide</button>
        </div>
      )}
      {versions === null ? (
        <div className="panel-empty">Loading…</div>
      ) : versions.length === 0 ? (
        <div className="panel-empty">No versions yet. Save one to mark a point you can come back to.</div>
      ) : (
        <ul className="version-list">
          {versions.map((v) => (
            <li key={v.id} data-testid="version">
              <div className="version-message">{v.number !== undefined && <span className="muted">v{v.number} </span>}{v.name}</div>
              {v.message && v.message !== v.name && <div className="small">{v.message}</div>}
              <div className="muted small">
                {v.created_at ? new Date(v.created_at).toLocaleString() : ""} {author(v) && `· ${author(v)}`} {v.revision !== undefined && `· rev ${v.revision}`}
              </div>
              <div className="version-actions">
                <button onClick={() => showDiff(v)}>Compare</button>
                {!readOnly && <button onClick={() => restore(v)}>Restore</button>}
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
