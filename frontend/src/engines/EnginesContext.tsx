// The inference backends (GET /api/engines), polled while one is loading, and this user's choice.

import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";

import { useAuth } from "../auth/AuthContext";
import { ApiError, errorMessage } from "../api/errors";
import type { Engine, Engines } from "../api/types";

const SLOW_POLL_MS = 30_000;
const FAST_POLL_MS = 1_000;

interface EnginesValue {
  /** null until loaded, or when the server has no engine routes. */
  engines: Engines | null;
  error: string | null;
  /** The engine this user chose, or null to follow the default. */
  choice: string | null;
  /** The engine this user's questions go to. */
  effective: Engine | null;
  choose: (name: string | null) => void;
  refresh: () => Promise<void>;
}

const EnginesContext = createContext<EnginesValue | null>(null);

function preferenceKey(userId: number): string {
  return `puxian.engine.${userId}`;
}

export function EnginesProvider({ children }: { children: ReactNode }) {
  const { client, session } = useAuth();
  const userId = session?.user.id ?? 0;
  const [engines, setEngines] = useState<Engines | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [choice, setChoice] = useState<string | null>(() => localStorage.getItem(preferenceKey(userId)));
  const [unsupported, setUnsupported] = useState(false);

  const refresh = useCallback(async () => {
    try {
      const listed = await client.request<Engines>("/api/engines");
      if (!Array.isArray(listed.engines)) throw new ApiError(200, "invalid_response", "");
      setEngines(listed);
      setError(null);
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 404) setUnsupported(true);
      else setError(errorMessage(caught));
    }
  }, [client]);

  const busy =
    Boolean(engines?.switching_to) ||
    (engines?.engines.some((engine) => engine.state === "loading" || Boolean(engine.stage)) ?? false);
  useEffect(() => {
    if (!session || unsupported) return;
    void refresh();
    const timer = window.setInterval(() => void refresh(), busy ? FAST_POLL_MS : SLOW_POLL_MS);
    return () => window.clearInterval(timer);
  }, [session, unsupported, busy, refresh]);

  const choose = useCallback(
    (name: string | null) => {
      setChoice(name);
      if (name) localStorage.setItem(preferenceKey(userId), name);
      else localStorage.removeItem(preferenceKey(userId));
    },
    [userId],
  );

  const value = useMemo<EnginesValue>(() => {
    const list = engines?.engines ?? [];
    // A choice whose engine is no longer ready (unloaded by a switch) falls back to the default.
    const chosen = choice ? list.find((engine) => engine.name === choice && engine.state === "ready") : undefined;
    const effective = chosen ?? list.find((engine) => engine.name === engines?.default) ?? null;
    return { engines, error, choice: chosen ? choice : null, effective, choose, refresh };
  }, [engines, error, choice, choose, refresh]);
  return <EnginesContext.Provider value={value}>{children}</EnginesContext.Provider>;
}

export function useEngines(): EnginesValue {
  const value = useContext(EnginesContext);
  if (!value) throw new Error("useEngines outside EnginesProvider");
  return value;
}

export const STATE_LABELS: Record<Engine["state"], string> = {
  unloaded: "未加载",
  loading: "加载中",
  ready: "就绪",
  failed: "失败",
};

const STAGES: Record<string, string> = {
  preparing: "准备中",
  "loading model": "加载模型",
  "warming up": "预热",
  draining: "等待请求结束",
  unloading: "卸载中",
};

/** An engine that cannot run on this server (no GPU, vLLM missing, model not prepared): listed, not chosen. */
export function isUnavailable(engine: Engine): boolean {
  return engine.available === false;
}

export function stateText(engine: Engine): string {
  if (isUnavailable(engine)) return "不可用";
  const stage = engine.stage ? (STAGES[engine.stage] ?? engine.stage) : null;
  if (engine.state === "loading") {
    const percent = engine.progress !== null ? ` ${Math.round(engine.progress * 100)}%` : "";
    return `${STATE_LABELS.loading}${percent}${stage ? `（${stage}）` : ""}`;
  }
  if (engine.state === "ready" && stage) return `${STATE_LABELS.ready}（${stage}）`;
  return STATE_LABELS[engine.state];
}
