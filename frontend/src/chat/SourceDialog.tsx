import type { Source } from "../api/types";
import { Dialog } from "../components/Dialog";
import { PronunciationTable } from "../romanize/PronunciationTable";

const RETRIEVERS: Record<string, string> = {
  dense: "向量检索",
  lexical: "关键词检索",
  headword: "词条匹配",
  romanized: "拼音匹配",
  card: "词卡",
};

export function SourceDialog({ source, onClose }: { source: Source | null; onClose: () => void }) {
  return (
    <Dialog open={source !== null} title={source ? `出处 [${source.number}]` : ""} onClose={onClose} className="source-dialog">
      {source && (
        <>
          <h3 className="source-title">{source.title}</h3>
          {source.section && source.section !== source.title && <p className="muted">章节：{source.section}</p>}
          <blockquote className="source-text">{source.text}</blockquote>
          {source.pronunciations && <PronunciationTable pronunciations={source.pronunciations} />}
          <dl className="source-meta">
            <dt>文档</dt>
            <dd>
              <code>{source.doc_id}</code>
            </dd>
            <dt>段落</dt>
            <dd>
              <code>{source.id}</code>
            </dd>
            <dt>检索方式</dt>
            <dd>
              {Object.keys(source.found_by ?? {})
                .map((name) => RETRIEVERS[name] ?? name)
                .join("、") || "—"}
            </dd>
          </dl>
        </>
      )}
    </Dialog>
  );
}
