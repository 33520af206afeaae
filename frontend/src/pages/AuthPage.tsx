// Sign in and sign up.
import { useState, type FormEvent } from "react";
import { Link, useLocation, useNavigate } from "react-router-dom";
import { ApiError } from "../api/client";
import { useAuth } from "../auth/store";

export function AuthPage({ mode }: { mode: "login" | "signup" }) {
  const { login, signup } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const next = new URLSearchParams(location.search).get("next") || "/";

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const username = String(form.get("username") ?? "");
    const password = String(form.get("password") ?? "");
    setBusy(true);
    setError(null);
    try {
      if (mode === "login") await login(username, password);
      else await signup(username, String(form.get("email") ?? ""), password);
      navigate(next, { replace: true });
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, String(e)));
    } finally {
      setBusy(false);
    }
  };
  const fieldError = (name: string) => error?.errors.find((e) => e.path === name)?.message;

  return (
    <div className="auth-page">
      <form className="auth-card" onSubmit={submit}>
        <div className="brand big"><span className="logo">◆</span> Cloudwright</div>
        <h2>{mode === "login" ? "Sign in" : "Create your account"}</h2>
        <label>Username<input name="username" autoComplete="username" required autoFocus /></label>
        {fieldError("username") && <div className="field-error">{fieldError("username")}</div>}
        {mode === "signup" && (
          <>
            <label>Email<input name="email" type="email" autoComplete="email" /></label>
            {fieldError("email") && <div className="field-error">{fieldError("email")}</div>}
          </>
        )}
        <label>Password<input name="password" type="password" autoComplete={mode === "login" ? "current-password" : "new-password"} required /></label>
        {fieldError("password") && <div className="field-error">{fieldError("password")}</div>}
        {error && !error.errors.some((e) => ["username", "email", "password"].includes(e.path ?? "")) && (
          <div className="form-error" role="alert">{error.status === 400 || error.status === 403 ? error.message || "Wrong username or password." : error.message}</div>
        )}
        <button className="primary" type="submit" disabled={busy}>{mode === "login" ? "Sign in" : "Sign up"}</button>
        <p className="muted small">
          {mode === "login" ? <>No account? <Link to="/signup">Sign up</Link></> : <>Have an account? <Link to="/login">Sign in</Link></>}
        </p>
      </form>
    </div>
  );
}
