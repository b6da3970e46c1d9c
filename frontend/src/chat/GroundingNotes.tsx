import type { Fallback } from "../api/types";

// Quiet notes, not alerts: the text shown did pass its check (or came from the sources themselves).
const FALLBACK_NOTES: Partial<Record<Fallback, string>> = {
  card: "模型的回答未通过核对，已改为词库词卡的内容。",
  extractive: "模型的回答未通过核对，已改为资料原文摘录。",
  truncated: "回答在一处未能核实的内容前停止。",
  regenerated: "已按更严格的要求重新生成。",
};

/** What the grounding check did to an answer: the fallback that replaced it, or a warning that it failed. */
export function GroundingNotes({ fallback, grounded }: { fallback: Fallback; grounded: boolean | null }) {
  const note = FALLBACK_NOTES[fallback];
  return (
    <>
      {note && (
        <p className={`grounding-note fallback-${fallback}`} role="note">
          {note}
        </p>
      )}
      {grounded === false && (
        <p className="grounding-note ungrounded" role="note">
          此回答含有资料中找不到的内容，请核对来源。
        </p>
      )}
    </>
  );
}
