import { useEffect, type ReactNode } from "react";
import { BrowserRouter, Navigate, Route, Routes, useLocation } from "react-router-dom";
import { useAuth } from "./auth/store";
import { EditorPage } from "./editor/EditorPage";
import { AccountPage } from "./pages/AccountPage";
import { AuthPage } from "./pages/AuthPage";
import { ProjectPage } from "./pages/ProjectPage";
import { ProjectsPage } from "./pages/ProjectsPage";
import { Notices } from "./ui/Notices";

function SignedIn({ children }: { children: ReactNode }) {
  const { me, checked } = useAuth();
  const location = useLocation();
  if (!checked) return <div className="page-loading">Loading…</div>;
  if (!me) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname)}`} replace />;
  return <>{children}</>;
}

export function App() {
  const refresh = useAuth((s) => s.refresh);
  useEffect(() => {
    refresh();
  }, [refresh]);
  return (
    <BrowserRouter>
      <Routes>
        <Route path="/login" element={<AuthPage mode="login" />} />
        <Route path="/signup" element={<AuthPage mode="signup" />} />
        <Route path="/" element={<SignedIn><ProjectsPage /></SignedIn>} />
        <Route path="/projects/:pid" element={<SignedIn><ProjectPage /></SignedIn>} />
        <Route path="/architectures/:aid" element={<SignedIn><EditorPage /></SignedIn>} />
        <Route path="/account" element={<SignedIn><AccountPage /></SignedIn>} />
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
      <Notices />
    </BrowserRouter>
  );
}
