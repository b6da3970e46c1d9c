import { useState, type FormEvent } from "react";

import { errorMessage } from "../api/errors";
import type { RomanizationSystem, RomanizeResponse } from "../api/types";
import { useAuth } from "../auth/AuthContext";
import { Alert } from "../components/Alert";
import { SYSTEM_LABELS } from "./PronunciationTable";
import { romanize, type RomanizeOptions } from "./romanizeApi";

const SYSTEMS: RomanizationSystem[] = ["psp", "buc", "ipa"];
const EXAMPLES = ["今旦 ging1 dua4", "táu-mńg", "[kin55 nua42]", "番薯 horng1 sy2，好食。"];
const BASIS: Record<string, string> = { word: "词条记录", char: "字的记录读音", rule: "规则", input: "原文" };

/** 拼音转换: type in any system, see all three and the connected-speech form. */
export function RomanizePage() {
  const { client } = useAuth();
  const [options, setOptions] = useState<RomanizeOptions>({ text: "", from: "auto", point: "putian" });
  const [result, setResult] = useState<RomanizeResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function convert(event?: FormEvent, text = options.text) {
    event?.preventDefault();
    if (!text.trim()) {
      setError("请输入要转换的拼音、平话字或国际音标。");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      setResult(await romanize(client, { ...options, text }));
    } catch (caught) {
      setResult(null);
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="page stack romanize-page">
      <section className="card" aria-labelledby="romanize-title">
        <h2 id="romanize-title">拼音转换</h2>
        <p className="muted small-text">
          输入莆仙话拼音（ging1 dua4）、兴化平话字（ging-dua̍ⁿ）或国际音标（[kiŋ533 tua42]），可夹带汉字和标点，得到三种写法和连读（声母类化）后的读音。
        </p>
        <form className="stack" onSubmit={(event) => void convert(event)}>
          <label className="field">
            <span>要转换的文字</span>
            <textarea
              rows={2}
              value={options.text}
              maxLength={2000}
              lang="cpx-Latn"
              onChange={(event) => setOptions({ ...options, text: event.target.value })}
            />
          </label>
          <div className="row">
            <label className="field inline">
              <span>原文写法</span>
              <select value={options.from} onChange={(event) => setOptions({ ...options, from: event.target.value as RomanizeOptions["from"] })}>
                <option value="auto">自动识别</option>
                {SYSTEMS.map((system) => (
                  <option key={system} value={system}>
                    {SYSTEM_LABELS[system]}
                  </option>
                ))}
              </select>
            </label>
            <label className="field inline">
              <span>方言点</span>
              <select value={options.point} onChange={(event) => setOptions({ ...options, point: event.target.value as RomanizeOptions["point"] })}>
                <option value="putian">莆田</option>
                <option value="xianyou">仙游</option>
              </select>
            </label>
            <button type="submit" className="primary" disabled={busy}>
              {busy ? "转换中…" : "转换"}
            </button>
          </div>
          <div className="row small-text" aria-label="示例">
            <span className="muted">示例：</span>
            {EXAMPLES.map((example) => (
              <button
                key={example}
                type="button"
                className="small"
                onClick={() => {
                  setOptions({ ...options, text: example });
                  void convert(undefined, example);
                }}
              >
                {example}
              </button>
            ))}
          </div>
        </form>
        <Alert message={error} onDismiss={() => setError(null)} />
      </section>
      {result && <RomanizeResult result={result} />}
    </main>
  );
}

function RomanizeResult({ result }: { result: RomanizeResponse }) {
  return (
    <section className="card stack" aria-label="转换结果">
      <table className="romanize-text">
        <thead>
          <tr>
            <th scope="col">写法</th>
            <th scope="col">本音</th>
            <th scope="col">连读音</th>
          </tr>
        </thead>
        <tbody>
          {SYSTEMS.map((system) => (
            <tr key={system} aria-label={SYSTEM_LABELS[system]}>
              <th scope="row">{SYSTEM_LABELS[system]}</th>
              <td lang="cpx-Latn">{result.citation[system]}</td>
              <td lang="cpx-Latn">{result.connected[system]}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {result.words.length === 0 ? (
        <p className="muted">没有找到可以转换的拼音。</p>
      ) : (
        <table className="syllables" aria-label="逐个音节">
          <thead>
            <tr>
              <th scope="col">输入</th>
              <th scope="col">声母</th>
              <th scope="col">韵母</th>
              <th scope="col">声调</th>
              <th scope="col">莆仙话拼音</th>
              <th scope="col">平话字</th>
              <th scope="col">国际音标</th>
              <th scope="col">连读</th>
            </tr>
          </thead>
          <tbody>
            {result.words.flatMap((word, w) =>
              word.syllables.map((syllable, s) => (
                <tr key={`${w}-${s}`}>
                  <td>{syllable.input}</td>
                  <td>{syllable.initial || "∅"}</td>
                  <td>{syllable.final}</td>
                  <td>{syllable.tone ? `${syllable.tone} ${syllable.tone_name ?? ""}` : "未写"}</td>
                  <td>{syllable.psp}</td>
                  <td title={`依据：${BASIS[syllable.buc_basis] ?? syllable.buc_basis}`}>
                    {syllable.buc}
                    {syllable.buc_candidates.length > 1 && (
                      <span className="muted small-text">（候选 {syllable.buc_candidates.join("、")}）</span>
                    )}
                  </td>
                  <td>{syllable.ipa}</td>
                  <td>{syllable.connected_psp !== syllable.psp ? syllable.connected_psp : "—"}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      )}
      <p className="muted small-text">
        识别为{result.source ? SYSTEM_LABELS[result.source] : "—"}（{result.point}）。国际音标按单字调标注，不含连读变调；平话字的鼻化韵依据词库中字的记录读音选择。
      </p>
    </section>
  );
}
