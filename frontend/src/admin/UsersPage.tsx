import { useCallback, useEffect, useState, type FormEvent } from "react";

import { errorMessage } from "../api/errors";
import type { Page, Role, User } from "../api/types";
import { useAuth, useSession } from "../auth/AuthContext";
import { Alert } from "../components/Alert";
import { Dialog } from "../components/Dialog";
import { formatDateTime } from "../components/format";

const PAGE = 20;

export function UsersPage() {
  const { client } = useAuth();
  const session = useSession();
  const [page, setPage] = useState(0);
  const [users, setUsers] = useState<Page<User> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);

  const load = useCallback(async () => {
    try {
      setUsers(await client.request<Page<User>>(`/api/admin/users?offset=${page * PAGE}&limit=${PAGE}`));
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }, [client, page]);

  useEffect(() => {
    void load();
  }, [load]);

  async function change(user: User, body: { is_active?: boolean; role?: Role }, done: string) {
    setError(null);
    try {
      await client.request<User>(`/api/admin/users/${user.id}`, { method: "PATCH", body });
      setNotice(done);
      await load();
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }

  const pages = users ? Math.max(1, Math.ceil(users.count / PAGE)) : 1;
  return (
    <div className="stack">
      <Alert message={error} onDismiss={() => setError(null)} />
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <CreateUser onCreated={(name) => { setNotice(`已创建用户 ${name}。`); void load(); }} />
      <section className="card" aria-labelledby="users-title">
        <h2 id="users-title">用户{users ? `（${users.count}）` : ""}</h2>
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">用户列表</caption>
            <thead>
              <tr>
                <th scope="col">用户名</th>
                <th scope="col">角色</th>
                <th scope="col">状态</th>
                <th scope="col">创建时间</th>
                <th scope="col">最近登录</th>
                <th scope="col">
                  <span className="visually-hidden">操作</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users?.data.map((user) => {
                const self = user.id === session.user.id;
                return (
                  <tr key={user.id}>
                    <td>
                      {user.username}
                      {self && <span className="muted">（你）</span>}
                    </td>
                    <td>{user.role === "admin" ? "管理员" : "用户"}</td>
                    <td>{user.is_active ? "正常" : <span className="error-text">已停用</span>}</td>
                    <td className="nowrap">{formatDateTime(user.created_at)}</td>
                    <td className="nowrap">{formatDateTime(user.last_login_at)}</td>
                    <td>
                      {!self && (
                        <div className="row">
                          <button
                            type="button"
                            className="small"
                            onClick={() =>
                              void change(
                                user,
                                { is_active: !user.is_active },
                                `${user.username} 已${user.is_active ? "停用" : "启用"}。`,
                              )
                            }
                          >
                            {user.is_active ? "停用" : "启用"}
                            <span className="visually-hidden"> {user.username}</span>
                          </button>
                          <button
                            type="button"
                            className="small"
                            onClick={() =>
                              void change(
                                user,
                                { role: user.role === "admin" ? "user" : "admin" },
                                `${user.username} 现在是${user.role === "admin" ? "普通用户" : "管理员"}。`,
                              )
                            }
                          >
                            {user.role === "admin" ? "设为普通用户" : "设为管理员"}
                            <span className="visually-hidden"> {user.username}</span>
                          </button>
                          <button type="button" className="small" onClick={() => setResetting(user)}>
                            重置密码<span className="visually-hidden"> {user.username}</span>
                          </button>
                        </div>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        {pages > 1 && (
          <div className="pager">
            <button type="button" className="small" disabled={page === 0} onClick={() => setPage(page - 1)}>
              上一页
            </button>
            <span>
              第 {page + 1} / {pages} 页
            </span>
            <button type="button" className="small" disabled={page + 1 >= pages} onClick={() => setPage(page + 1)}>
              下一页
            </button>
          </div>
        )}
      </section>
      <ResetPassword user={resetting} onClose={() => setResetting(null)} onDone={(name) => setNotice(`已重置 ${name} 的密码，其原有登录已失效。`)} />
    </div>
  );
}

function CreateUser({ onCreated }: { onCreated: (username: string) => void }) {
  const { client } = useAuth();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [role, setRole] = useState<Role>("user");
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      const user = await client.request<User>("/api/admin/users", { method: "POST", body: { username, password, role } });
      setUsername("");
      setPassword("");
      setRole("user");
      onCreated(user.username);
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }

  return (
    <section className="card" aria-labelledby="create-user-title">
      <h2 id="create-user-title">新建用户</h2>
      <form className="inline-form" onSubmit={submit}>
        <label htmlFor="new-username">用户名</label>
        <input id="new-username" value={username} onChange={(e) => setUsername(e.target.value)} required autoComplete="off" />
        <label htmlFor="new-password">初始密码</label>
        <input id="new-password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} required autoComplete="new-password" />
        <label htmlFor="new-role">角色</label>
        <select id="new-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
          <option value="user">用户</option>
          <option value="admin">管理员</option>
        </select>
        <button type="submit" className="primary">
          创建
        </button>
      </form>
      {error && (
        <p className="alert" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

function ResetPassword({ user, onClose, onDone }: { user: User | null; onClose: () => void; onDone: (name: string) => void }) {
  const { client } = useAuth();
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!user) return;
    setError(null);
    try {
      await client.request<User>(`/api/admin/users/${user.id}/password`, { method: "POST", body: { new_password: password } });
      setPassword("");
      onDone(user.username);
      onClose();
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }

  return (
    <Dialog open={user !== null} title={`重置 ${user?.username ?? ""} 的密码`} onClose={() => { setError(null); setPassword(""); onClose(); }}>
      <form onSubmit={submit} className="stack">
        <label htmlFor="reset-password">新密码</label>
        <input id="reset-password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} required autoComplete="new-password" />
        <p className="muted small-text">重置后该用户的所有登录都会失效，需要用新密码重新登录。</p>
        {error && (
          <p className="alert" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary">
          重置密码
        </button>
      </form>
    </Dialog>
  );
}
