// The frame of the non-editor pages: top bar with the user's menu.
import type { ReactNode } from "react";
import { Link, useNavigate } from "react-router-dom";
import { useAuth } from "../auth/store";

export function Shell({ children, crumbs }: { children: ReactNode; crumbs?: ReactNode }) {
  const { me, logout } = useAuth();
  const navigate = useNavigate();
  return (
    <div className="shell">
      <header className="topbar">
        <Link to="/" className="brand"><span className="logo">◆</span> Cloudwright</Link>
        <div className="crumbs">{crumbs}</div>
        <span className="spacer" />
        <Link to="/account">API tokens</Link>
        <span className="muted">{me?.username}</span>
        <button className="link-button" onClick={async () => { await logout(); navigate("/login"); }}>Sign out</button>
      </header>
      <main className="page">{children}</main>
    </div>
  );
}
