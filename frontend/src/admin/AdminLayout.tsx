import { NavLink, Outlet } from "react-router-dom";

export function AdminLayout() {
  return (
    <div className="page admin">
      <h1>管理</h1>
      <nav className="tabs" aria-label="管理页面">
        <NavLink to="/admin/documents">知识库</NavLink>
        <NavLink to="/admin/engines">推理后端</NavLink>
        <NavLink to="/admin/playground">提示词试验场</NavLink>
        <NavLink to="/admin/users">用户</NavLink>
        <NavLink to="/admin/keys">API 密钥</NavLink>
      </nav>
      <Outlet />
    </div>
  );
}
