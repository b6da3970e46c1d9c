import { useState } from "react";

import { errorMessage } from "../api/errors";
import type { Engine } from "../api/types";
import { useAuth } from "../auth/AuthContext";
import { Alert } from "../components/Alert";
import { isUnavailable, stateText, useEngines } from "../engines/EnginesContext";
import { EngineFigures } from "./EngineFigures";

const KINDS: Record<Engine["kind"], string> = {
  transformers: "Transformers（本机）",
  vllm: "vLLM（GPU）",
  openai: "远程（OpenAI 兼容）",
};

function memory(mb: number | null): string {
  if (mb === null || mb === undefined) return "—";
  return mb >= 1024 ? `${(mb / 1024).toFixed(1)} GB` : `${Math.round(mb)} MB`;
}

export function EnginesPage() {
  const { client } = useAuth();
  const { engines, error: loadError, refresh } = useEngines();
  const [error, setError] = useState<string | null>(null);
  const [switching, setSwitching] = useState<string | null>(null);

  async function makeDefault(name: string) {
    setSwitching(name);
    setError(null);
    try {
      await client.request<Engine>("/api/admin/engines/default", { method: "PUT", body: { engine: name } });
      await refresh();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setSwitching(null);
    }
  }

  if (!engines) {
    return (
      <section className="card">
        <h2>推理后端</h2>
        <Alert message={loadError} />
        {!loadError && <p className="muted">服务器没有提供推理后端信息。</p>}
      </section>
    );
  }
  return (
    <section className="card" aria-labelledby="engines-title">
      <h2 id="engines-title">推理后端</h2>
      <p className="muted small-text">
        “设为默认”会在后台加载该后端，加载完成后所有未自行选择后端的用户都会使用它。用户也可以在页面顶部为自己选择后端。
      </p>
      <Alert message={error ?? loadError} onDismiss={() => setError(null)} />
      <ul className="engine-cards">
        {engines.engines.map((engine) => {
          const isDefault = engine.name === engines.default;
          const unavailable = isUnavailable(engine);
          return (
            <li
              key={engine.name}
              className={`engine-card state-${unavailable ? "unavailable" : engine.state}`}
              aria-label={engine.label}
            >
              <div className="card-header">
                <h3>
                  {engine.label}
                  {isDefault && <span className="badge">默认</span>}
                </h3>
                <span className={`state state-${engine.state}`}>{stateText(engine)}</span>
              </div>
              <dl className="engine-meta">
                <dt>类型</dt>
                <dd>{KINDS[engine.kind] ?? engine.kind}</dd>
                <dt>模型</dt>
                <dd>
                  <code>{engine.model || "—"}</code>
                </dd>
                <dt>设备</dt>
                <dd>{engine.device || "—"}</dd>
                <dt>内存</dt>
                <dd>{memory(engine.memory_mb)}</dd>
              </dl>
              {engine.state === "loading" && (
                <progress
                  max={1}
                  value={engine.progress ?? undefined}
                  aria-label={`${engine.label} 加载进度`}
                />
              )}
              {unavailable && (
                <p className="muted small-text engine-unavailable">
                  本机无法运行：<span className="unavailable-reason">{engine.unavailable_reason || "原因未知"}</span>
                </p>
              )}
              {engine.error && !unavailable && (
                <p className="error-text" role="alert">
                  加载失败：{engine.error}
                </p>
              )}
              <EngineFigures measurements={engine.measurements ?? null} />
              <button
                type="button"
                className="primary"
                disabled={isDefault || unavailable || switching !== null || engine.state === "loading"}
                onClick={() => void makeDefault(engine.name)}
              >
                {switching === engine.name
                  ? "切换中…"
                  : isDefault
                    ? "当前默认"
                    : unavailable
                      ? "不可用"
                      : engine.state === "failed"
                        ? "重试并设为默认"
                        : "设为默认"}
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
