import { useCallback, useEffect, useState, type FormEvent } from "react";

import { errorMessage } from "../api/errors";
import type { ApiKey, ApiKeyCreated } from "../api/types";
import { useAuth } from "../auth/AuthContext";
import { CopyButton } from "../chat/CopyButton";
import { Alert } from "../components/Alert";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { Dialog } from "../components/Dialog";
import { formatDateTime } from "../components/format";

export function ApiKeysPage() {
  const { client } = useAuth();
  const [keys, setKeys] = useState<ApiKey[] | null>(null);
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<ApiKeyCreated | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);

  const load = useCallback(async () => {
    try {
      setKeys(await client.request<ApiKey[]>("/api/keys"));
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }, [client]);

  useEffect(() => {
    void load();
  }, [load]);

  async function create(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      setCreated(await client.request<ApiKeyCreated>("/api/keys", { method: "POST", body: { name } }));
      setName("");
      await load();
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }

  async function revoke() {
    if (!revoking) return;
    const target = revoking;
    setRevoking(null);
    try {
      await client.request<unknown>(`/api/keys/${target.id}`, { method: "DELETE" });
      await load();
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }

  return (
    <div className="stack">
      <section className="card" aria-labelledby="keys-title">
        <h2 id="keys-title">API 密钥</h2>
        <p className="muted small-text">
          脚本和 REST 客户端用 <code>Authorization: Bearer pk-…</code> 调用 API。密钥只在创建时显示一次。
        </p>
        <Alert message={error} onDismiss={() => setError(null)} />
        <form className="inline-form" onSubmit={create}>
          <label htmlFor="key-name">名称</label>
          <input id="key-name" value={name} maxLength={100} placeholder="例如：我的脚本" onChange={(e) => setName(e.target.value)} required />
          <button type="submit" className="primary">
            创建密钥
          </button>
        </form>
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">我的 API 密钥</caption>
            <thead>
              <tr>
                <th scope="col">名称</th>
                <th scope="col">前缀</th>
                <th scope="col">创建时间</th>
                <th scope="col">最近使用</th>
                <th scope="col">状态</th>
                <th scope="col">
                  <span className="visually-hidden">操作</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys?.map((key) => (
                <tr key={key.id}>
                  <td>{key.name}</td>
                  <td>
                    <code>{key.prefix}…</code>
                  </td>
                  <td className="nowrap">{formatDateTime(key.created_at)}</td>
                  <td className="nowrap">{formatDateTime(key.last_used_at)}</td>
                  <td>{key.revoked_at ? <span className="muted">已撤销</span> : "有效"}</td>
                  <td>
                    {!key.revoked_at && (
                      <button type="button" className="small danger" onClick={() => setRevoking(key)}>
                        撤销<span className="visually-hidden"> {key.name}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {keys?.length === 0 && <p className="muted">还没有 API 密钥。</p>}
        </div>
      </section>
      <Dialog open={created !== null} title="新的 API 密钥" onClose={() => setCreated(null)}>
        {created && (
          <div className="stack">
            <p className="alert" role="alert">
              请立即复制并妥善保存。关闭后将无法再次查看这个密钥。
            </p>
            <label htmlFor="created-key">密钥“{created.name}”</label>
            <input id="created-key" readOnly value={created.key} onFocus={(e) => e.target.select()} className="mono" />
            <CopyButton text={created.key} label="复制密钥" />
          </div>
        )}
      </Dialog>
      <ConfirmDialog
        open={revoking !== null}
        title="撤销密钥"
        message={`确定撤销“${revoking?.name ?? ""}”吗？使用它的脚本会立即失去访问权限。`}
        confirmLabel="撤销"
        danger
        onConfirm={() => void revoke()}
        onCancel={() => setRevoking(null)}
      />
    </div>
  );
}
