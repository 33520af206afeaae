// The user's API tokens: create (the key is shown once) and revoke.
import { useCallback, useEffect, useState } from "react";
import { api, items } from "../api/client";
import type { ApiToken as Token, NewApiToken } from "../api/models";
import { useUi } from "../ui/store";
import { Shell } from "./Shell";


export function AccountPage() {
  const notify = useUi((s) => s.notify);
  const [tokens, setTokens] = useState<Token[]>([]);
  const [fresh, setFresh] = useState<NewApiToken | null>(null);
  const load = useCallback(
    () => api.get<Token[] | { results: Token[] }>("/api/tokens/").then((t) => setTokens(items(t))).catch((e) => notify("error", (e as Error).message)),
    [notify],
  );
  useEffect(() => {
    load();
  }, [load]);

  return (
    <Shell crumbs={<strong>API tokens</strong>}>
      <div className="page-head"><h1>API tokens</h1></div>
      <p className="muted">Tokens let scripts and CI use the API as you: <code>Authorization: Token &lt;key&gt;</code>.</p>
      <form className="inline-form" onSubmit={async (e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const name = String(new FormData(form).get("name"));
        try {
          setFresh(await api.post<NewApiToken>("/api/tokens/", { name }));
          form.reset();
          await load();
        } catch (err) {
          notify("error", (err as Error).message);
        }
      }}>
        <input name="name" aria-label="Token name" placeholder="Token name, e.g. CI" required maxLength={100} />
        <button className="primary" type="submit">Create token</button>
      </form>
      {fresh?.key && (
        <div className="notice notice-success static">
          Copy the key of “{fresh.name}” now; it is not shown again: <code data-testid="token-key">{fresh.key}</code>
        </div>
      )}
      <table className="table">
        <thead><tr><th>Name</th><th>Created</th><th>Last used</th><th /></tr></thead>
        <tbody>
          {tokens.map((t) => (
            <tr key={t.id}>
              <td>{t.name} {t.prefix && <code className="muted">{t.prefix}…</code>}</td>
              <td>{t.created_at ? new Date(t.created_at).toLocaleDateString() : ""}</td>
              <td>{t.last_used_at ? new Date(t.last_used_at).toLocaleString() : "never"}</td>
              <td><button className="link-button danger-text" onClick={async () => {
                try { await api.delete(`/api/tokens/${t.id}/`); notify("success", `Token “${t.name}” revoked.`); await load(); } catch (err) { notify("error", (err as Error).message); }
              }}>Revoke</button></td>
            </tr>
          ))}
        </tbody>
      </table>
    </Shell>
  );
}
