import { NavLink } from "react-router-dom";

import { useAuth } from "../auth/AuthContext";
import { EngineSwitch } from "../engines/EngineSwitch";

export function AppHeader() {
  const { session, logout } = useAuth();
  if (!session) return null;
  const isAdmin = session.user.role === "admin";
  return (
    <header className="app-header">
      <a className="skip-link" href="#content">
        跳到主要内容
      </a>
      <NavLink to="/" className="brand" end>
        莆仙话助手
      </NavLink>
      <nav aria-label="主导航" className="main-nav">
        <NavLink to="/" end>
          对话
        </NavLink>
        <NavLink to="/romanize">拼音转换</NavLink>
        <NavLink to="/keys">API 密钥</NavLink>
        {isAdmin && <NavLink to="/admin">管理</NavLink>}
      </nav>
      <EngineSwitch />
      <div className="user-menu">
        <span className="username" title={isAdmin ? "管理员" : "用户"}>
          {session.user.username}
          {isAdmin ? "（管理员）" : ""}
        </span>
        <button type="button" className="small" onClick={logout}>
          退出登录
        </button>
      </div>
    </header>
  );
}
