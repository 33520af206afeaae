// A project's members and their roles.
import { useCallback, useEffect, useState } from "react";
import { api, items } from "../api/client";
import type { Membership as Member } from "../api/models";
import { useUi } from "../ui/store";


const ROLES = ["owner", "editor", "viewer"];
const memberId = (m: Member) => m.user_id;
const memberName = (m: Member) => m.username;

export function MembersSection({ projectId }: { projectId: string }) {
  const notify = useUi((s) => s.notify);
  const [members, setMembers] = useState<Member[]>([]);
  const base = `/api/projects/${projectId}/members/`;
  const load = useCallback(
    () => api.get<Member[] | { results: Member[] }>(base).then((m) => setMembers(items(m))).catch((e) => notify("error", (e as Error).message)),
    [base, notify],
  );
  useEffect(() => {
    load();
  }, [load]);

  const act = async (fn: () => Promise<unknown>, done: string) => {
    try {
      await fn();
      notify("success", done);
      await load();
    } catch (e) {
      notify("error", (e as Error).message);
    }
  };

  return (
    <section className="members">
      <form className="inline-form" onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        const username = String(form.get("username"));
        act(() => api.post(base, { username, role: form.get("role") }), `${username} added.`);
        e.currentTarget.reset();
      }}>
        <input name="username" aria-label="Username" placeholder="Username to invite" required />
        <select name="role" aria-label="Role" defaultValue="editor">{ROLES.map((r) => <option key={r}>{r}</option>)}</select>
        <button className="primary" type="submit">Add member</button>
      </form>
      <table className="table">
        <thead><tr><th>Member</th><th>Role</th><th /></tr></thead>
        <tbody>
          {members.map((m) => (
            <tr key={memberId(m)}>
              <td>{memberName(m)}</td>
              <td>
                <select value={m.role} aria-label={`Role of ${memberName(m)}`} onChange={(e) => act(() => api.patch(`${base}${memberId(m)}/`, { role: e.target.value }), `${memberName(m)} is now ${e.target.value}.`)}>
                  {ROLES.map((r) => <option key={r}>{r}</option>)}
                </select>
              </td>
              <td><button className="link-button danger-text" onClick={() => window.confirm(`Remove ${memberName(m)} from the project?`) && act(() => api.delete(`${base}${memberId(m)}/`), `${memberName(m)} removed.`)}>Remove</button></td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
