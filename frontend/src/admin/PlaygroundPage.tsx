// 提示词试验场: send a raw prompt or chat messages straight to one engine (or two, side by side),
// with no retrieval, to compare engines by hand. POST /api/admin/generate.

import { useEffect, useRef, useState, type FormEvent } from "react";

import { ApiError, errorMessage } from "../api/errors";
import type { Engine } from "../api/types";
import { useAuth } from "../auth/AuthContext";
import { Alert } from "../components/Alert";
import { formatMs } from "../components/format";
import { stateText, useEngines } from "../engines/EnginesContext";
import { generate, type GenerateRequest, type GenerateResult, type PlaygroundMessage } from "./playgroundApi";
import "./playground.css";

type Mode = "prompt" | "messages";

interface Run {
  engine: string;
  status: "running" | "done" | "failed";
  result?: GenerateResult;
  error?: string;
}

const FINISH_REASONS: Record<GenerateResult["finish_reason"], string> = {
  stop: "自然结束",
  length: "达到最大生成长度",
  aborted: "已中止",
};

/** The API's messages, with the one whose chat wording does not fit here replaced. */
function playgroundError(error: unknown): string {
  if (error instanceof ApiError && error.code === "prompt_too_long") {
    return "提示词太长，超出了模型或试验场的长度上限，请缩短后重试。";
  }
  return errorMessage(error);
}

/** An optional number field: empty means the engine's own default. */
function optionalNumber(text: string): number | undefined {
  return text.trim() === "" ? undefined : Number(text);
}

/** The chosen engine if it is ready, else the default if ready, else the first ready one. */
function pick(engines: Engine[], chosen: string, preferred: string | undefined, avoid?: string): string {
  const ready = engines.filter((engine) => engine.state === "ready").map((engine) => engine.name);
  if (ready.includes(chosen)) return chosen;
  if (preferred && ready.includes(preferred) && preferred !== avoid) return preferred;
  return ready.find((name) => name !== avoid) ?? ready[0] ?? "";
}

export function PlaygroundPage() {
  const { client } = useAuth();
  const { engines, error: loadError } = useEngines();
  const [mode, setMode] = useState<Mode>("messages");
  const [prompt, setPrompt] = useState("");
  const [system, setSystem] = useState("");
  const [user, setUser] = useState("");
  const [chosen, setChosen] = useState("");
  const [compare, setCompare] = useState(false);
  const [other, setOther] = useState("");
  const [maxTokens, setMaxTokens] = useState("256");
  const [temperature, setTemperature] = useState("0");
  const [topP, setTopP] = useState("0.9");
  const [runs, setRuns] = useState<Run[]>([]);
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const running = useRef<AbortController | null>(null);

  useEffect(() => () => running.current?.abort(), []);

  const list = engines?.engines ?? [];
  const first = pick(list, chosen, engines?.default);
  const second = pick(list, other, engines?.default, first);
  const labels = new Map(list.map((engine) => [engine.name, engine.label]));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const text = mode === "prompt" ? prompt : user;
    if (!text.trim()) {
      setFormError(mode === "prompt" ? "请输入提示词。" : "请输入用户消息。");
      return;
    }
    if (!first) {
      setFormError("没有就绪的推理后端。");
      return;
    }
    setFormError(null);
    const messages: PlaygroundMessage[] = [
      ...(system.trim() ? [{ role: "system" as const, content: system }] : []),
      { role: "user", content: user },
    ];
    const sampling = { max_tokens: optionalNumber(maxTokens), temperature: optionalNumber(temperature), top_p: optionalNumber(topP) };
    const targets = compare && second ? [first, second] : [first];
    const controller = new AbortController();
    running.current = controller;
    setBusy(true);
    setRuns(targets.map((engine) => ({ engine, status: "running" })));
    // One after the other: run at once, two engines would share the machine and skew each other's timings.
    for (const [index, engine] of targets.entries()) {
      const request: GenerateRequest = mode === "prompt" ? { engine, prompt, ...sampling } : { engine, messages, ...sampling };
      let update: Partial<Run>;
      try {
        update = { status: "done", result: await generate(client, request, controller.signal) };
      } catch (caught) {
        if (controller.signal.aborted) return;
        update = { status: "failed", error: playgroundError(caught) };
      }
      setRuns((current) => current.map((run, at) => (at === index ? { ...run, ...update } : run)));
    }
    setBusy(false);
  }

  if (!engines) {
    return (
      <section className="card">
        <h2>提示词试验场</h2>
        <Alert message={loadError} />
        {!loadError && <p className="muted">服务器没有提供推理后端信息。</p>}
      </section>
    );
  }
  return (
    <div className="stack">
      <section className="card" aria-labelledby="playground-title">
        <h2 id="playground-title">提示词试验场</h2>
        <p className="muted small-text">
          把提示词直接发给推理后端：不检索知识库，也不做依据检查，便于手工比较各个后端。原始提示词按原样交给模型续写；对话消息先套用模型的对话模板。
        </p>
        <form className="playground-form" onSubmit={submit}>
          <div className="playground-fields">
            <EngineSelect id="playground-engine" label="使用的后端" engines={list} value={first} defaultName={engines.default} onChange={setChosen} />
            {compare && (
              <EngineSelect id="playground-other" label="对比的后端" engines={list} value={second} defaultName={engines.default} onChange={setOther} />
            )}
          </div>
          <label className="row playground-check">
            <input type="checkbox" checked={compare} onChange={(e) => setCompare(e.target.checked)} />
            对比两个后端（依次运行同一提示词）
          </label>
          <div className="row" role="group" aria-label="输入方式">
            <button type="button" className="small" aria-pressed={mode === "messages"} onClick={() => setMode("messages")}>
              对话消息
            </button>
            <button type="button" className="small" aria-pressed={mode === "prompt"} onClick={() => setMode("prompt")}>
              原始提示词
            </button>
          </div>
          {mode === "prompt" ? (
            <div className="playground-field">
              <label htmlFor="playground-prompt">提示词</label>
              <textarea id="playground-prompt" rows={8} maxLength={20000} value={prompt} onChange={(e) => setPrompt(e.target.value)} />
            </div>
          ) : (
            <>
              <div className="playground-field">
                <label htmlFor="playground-system">系统消息（可选）</label>
                <textarea id="playground-system" rows={3} maxLength={20000} value={system} onChange={(e) => setSystem(e.target.value)} />
              </div>
              <div className="playground-field">
                <label htmlFor="playground-user">用户消息</label>
                <textarea id="playground-user" rows={6} maxLength={20000} value={user} onChange={(e) => setUser(e.target.value)} />
              </div>
            </>
          )}
          <div className="playground-fields">
            <NumberField id="playground-max-tokens" label="最大生成长度（词元）" value={maxTokens} onChange={setMaxTokens} min={1} max={1024} step={1} />
            <NumberField id="playground-temperature" label="温度（0 为贪心解码）" value={temperature} onChange={setTemperature} min={0} max={2} step={0.1} />
            <NumberField id="playground-top-p" label="top_p" value={topP} onChange={setTopP} min={0} max={1} step={0.05} />
          </div>
          <Alert message={formError} onDismiss={() => setFormError(null)} />
          <div className="row">
            <button type="submit" className="primary" disabled={busy} aria-busy={busy}>
              {busy ? "生成中…" : "生成"}
            </button>
          </div>
        </form>
      </section>
      {runs.length > 0 && (
        <div className="playground-results">
          {runs.map((run, index) => (
            <ResultPanel key={index} run={run} label={labels.get(run.engine) ?? run.engine} />
          ))}
        </div>
      )}
    </div>
  );
}

function EngineSelect(props: {
  id: string;
  label: string;
  engines: Engine[];
  value: string;
  defaultName: string;
  onChange: (name: string) => void;
}) {
  return (
    <div className="playground-field">
      <label htmlFor={props.id}>{props.label}</label>
      <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        {props.value === "" && <option value="">（没有就绪的后端）</option>}
        {props.engines.map((engine) => (
          <option key={engine.name} value={engine.name} disabled={engine.state !== "ready"}>
            {engine.label}（{stateText(engine)}
            {engine.name === props.defaultName ? "，默认" : ""}）
          </option>
        ))}
      </select>
    </div>
  );
}

function NumberField(props: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  min: number;
  max: number;
  step: number;
}) {
  return (
    <div className="playground-field">
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="number"
        inputMode="decimal"
        min={props.min}
        max={props.max}
        step={props.step}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </div>
  );
}

function ResultPanel({ run, label }: { run: Run; label: string }) {
  const { result } = run;
  return (
    <section className="card playground-result" aria-label={`结果：${label}`} aria-busy={run.status === "running"}>
      <div className="card-header">
        <h3>{label}</h3>
        {run.status === "running" && <span className="state state-loading">生成中…</span>}
        {run.status === "failed" && <span className="state state-failed">失败</span>}
      </div>
      {run.error && <Alert message={run.error} />}
      {result && (
        <>
          <pre className="playground-text" aria-label="生成的文本">
            {result.text || "（模型没有生成文字）"}
          </pre>
          <dl className="engine-meta">
            <dt>后端</dt>
            <dd>
              <code>{result.engine}</code>
            </dd>
            <dt>词元</dt>
            <dd>
              提示 {result.usage.prompt_tokens} · 生成 {result.usage.completion_tokens}
            </dd>
            <dt>首字延迟</dt>
            <dd>{formatMs(result.timings.ttft_ms) ?? "—"}</dd>
            <dt>总耗时</dt>
            <dd>{formatMs(result.timings.total_ms) ?? "—"}</dd>
            <dt>速度</dt>
            <dd>{result.timings.tokens_per_s.toFixed(1)} 词元/秒</dd>
            <dt>结束原因</dt>
            <dd>{FINISH_REASONS[result.finish_reason] ?? result.finish_reason}</dd>
          </dl>
        </>
      )}
    </section>
  );
}
