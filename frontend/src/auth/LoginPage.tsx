import { useEffect, useState, type FormEvent } from "react";
import { Navigate, useLocation } from "react-router-dom";

import { errorMessage } from "../api/errors";
import { useAuth } from "./AuthContext";

/** Sign in; on a server with no administrator yet, first offer to create one with the setup code
 * printed in the server's log (docs/security.md, "A safe first run"). */
export function LoginPage() {
  const { session, login, createFirstAdmin, endedBecause, client } = useAuth();
  const location = useLocation();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [setupNeeded, setSetupNeeded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let current = true;
    client.setupNeeded().then(
      (needed) => current && setSetupNeeded(needed),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [client]);

  if (session) {
    const from = (location.state as { from?: string } | null)?.from ?? "/";
    return <Navigate to={from} replace />;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (setupNeeded) await createFirstAdmin(code.trim(), username.trim(), password);
      else await login(username.trim(), password);
    } catch (caught) {
      setError(errorMessage(caught));
      if (setupNeeded) setSetupNeeded(await client.setupNeeded().catch(() => false));
      setBusy(false);
    }
  }

  const notice = error ?? endedBecause;
  return (
    <main className="login">
      <form className="login-card" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">莆仙话助手</h1>
        {setupNeeded ? (
          <p className="muted">
            还没有管理员：创建第一个管理员。设置码印在服务器的日志里（只能用一次）。
          </p>
        ) : (
          <p className="muted">根据知识库回答关于莆仙话的问题，并给出出处。</p>
        )}
        {notice && (
          <p className="alert" role="alert">
            {notice}
          </p>
        )}
        {setupNeeded && (
          <>
            <label htmlFor="setup-code">设置码</label>
            <input
              id="setup-code"
              name="code"
              autoComplete="one-time-code"
              placeholder="XXXX-XXXX-XXXX"
              value={code}
              onChange={(event) => setCode(event.target.value)}
              required
              autoFocus
            />
          </>
        )}
        <label htmlFor="login-username">{setupNeeded ? "管理员用户名" : "用户名"}</label>
        <input
          id="login-username"
          name="username"
          autoComplete="username"
          value={username}
          onChange={(event) => setUsername(event.target.value)}
          required
          autoFocus={!setupNeeded}
        />
        <label htmlFor="login-password">密码</label>
        <input
          id="login-password"
          name="password"
          type="password"
          autoComplete={setupNeeded ? "new-password" : "current-password"}
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          required
        />
        <button type="submit" className="primary" disabled={busy}>
          {setupNeeded ? (busy ? "创建中…" : "创建第一个管理员") : busy ? "登录中…" : "登录"}
        </button>
      </form>
    </main>
  );
}
