import { useCallback, useEffect, useMemo, useState } from "react";

import { errorMessage } from "../api/errors";
import type { KnowledgeDocument, KnowledgeDocuments, ReindexReport } from "../api/types";
import { useAuth } from "../auth/AuthContext";
import { Alert } from "../components/Alert";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { formatDateTime } from "../components/format";
import { UploadPanel } from "./UploadPanel";

const KINDS: Record<string, string> = {
  markdown: "Markdown",
  text: "文本",
  lexicon: "词表",
  rime: "Rime 词库",
  pdf: "PDF",
  docx: "Word",
};

export function DocumentsPage() {
  const { client } = useAuth();
  const [documents, setDocuments] = useState<KnowledgeDocuments | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState("");
  const [collection, setCollection] = useState("all");
  const [deleting, setDeleting] = useState<KnowledgeDocument | null>(null);
  const [reindexing, setReindexing] = useState(false);
  const [report, setReport] = useState<ReindexReport | null>(null);

  const load = useCallback(async () => {
    try {
      setDocuments(await client.request<KnowledgeDocuments>("/api/admin/documents"));
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }, [client]);

  useEffect(() => {
    void load();
  }, [load]);

  const shown = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    return (documents?.data ?? []).filter(
      (doc) =>
        (collection === "all" || doc.collection === collection) &&
        (!needle || `${doc.id} ${doc.title} ${doc.source}`.toLowerCase().includes(needle)),
    );
  }, [documents, filter, collection]);

  async function remove() {
    if (!deleting) return;
    const target = deleting;
    setDeleting(null);
    try {
      await client.request<unknown>(`/api/admin/documents/${encodeURIComponent(target.id)}`, { method: "DELETE" });
      await load();
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }

  async function reindex() {
    setReindexing(true);
    setError(null);
    try {
      setReport(await client.request<ReindexReport>("/api/admin/documents/reindex", { method: "POST" }));
      await load();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setReindexing(false);
    }
  }

  return (
    <div className="stack">
      <Alert message={error} onDismiss={() => setError(null)} />
      <UploadPanel maxBytes={documents?.max_upload_bytes ?? null} onUploaded={() => void load()} />
      <section className="card" aria-labelledby="documents-title">
        <div className="card-header">
          <h2 id="documents-title">文档</h2>
          {documents && (
            <span className="muted small-text">
              共 {documents.count} 个文档、{documents.chunks} 个片段
            </span>
          )}
          <button type="button" onClick={() => void reindex()} disabled={reindexing}>
            {reindexing ? "正在重建索引…" : "重建索引"}
          </button>
        </div>
        {report && (
          <p className="notice" role="status">
            重建完成（{report.seconds.toFixed(1)} 秒）：新增 {report.added.length}，更新 {report.updated.length}，未变{" "}
            {report.unchanged}，删除 {report.deleted.length}，共 {report.chunks} 个片段。
          </p>
        )}
        {documents && documents.errors.length > 0 && (
          <div className="ingest-errors" role="region" aria-label="导入错误">
            <h3>导入错误</h3>
            <ul>
              {documents.errors.map((message) => (
                <li key={message}>
                  <code>{message}</code>
                </li>
              ))}
            </ul>
          </div>
        )}
        <div className="filters">
          <label htmlFor="doc-filter">搜索</label>
          <input
            id="doc-filter"
            type="search"
            value={filter}
            placeholder="标题、编号或文件名"
            onChange={(event) => setFilter(event.target.value)}
          />
          <label htmlFor="doc-collection">来源</label>
          <select id="doc-collection" value={collection} onChange={(event) => setCollection(event.target.value)}>
            <option value="all">全部</option>
            <option value="curated">精选知识</option>
            <option value="imported">上传/导入</option>
          </select>
        </div>
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">知识库文档</caption>
            <thead>
              <tr>
                <th scope="col">标题</th>
                <th scope="col">来源</th>
                <th scope="col">格式</th>
                <th scope="col" className="num">
                  片段
                </th>
                <th scope="col">文件</th>
                <th scope="col">更新时间</th>
                <th scope="col">
                  <span className="visually-hidden">操作</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((doc) => (
                <tr key={doc.id}>
                  <td>
                    <div>{doc.title}</div>
                    <code className="muted small-text">{doc.id}</code>
                    {doc.warnings.length > 0 && (
                      <details>
                        <summary className="small-text">{doc.warnings.length} 条提示</summary>
                        <ul className="small-text">
                          {doc.warnings.slice(0, 20).map((warning) => (
                            <li key={warning}>
                              <code>{warning}</code>
                            </li>
                          ))}
                        </ul>
                      </details>
                    )}
                  </td>
                  <td>{doc.collection === "curated" ? "精选" : "上传/导入"}</td>
                  <td>{KINDS[doc.kind] ?? doc.kind}</td>
                  <td className="num">{doc.chunk_count}</td>
                  <td className="source-cell">
                    <code>{doc.source}</code>
                  </td>
                  <td className="nowrap">{formatDateTime(doc.updated_at)}</td>
                  <td>
                    {doc.collection !== "curated" && (
                      <button type="button" className="small danger" onClick={() => setDeleting(doc)} aria-label={`删除“${doc.title}”`}>
                        删除
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {documents && shown.length === 0 && <p className="muted">没有符合条件的文档。</p>}
          {!documents && !error && (
            <p className="muted" role="status">
              正在载入…
            </p>
          )}
        </div>
      </section>
      <ConfirmDialog
        open={deleting !== null}
        title="删除文档"
        message={`确定删除“${deleting?.title ?? ""}”及其 ${deleting?.chunk_count ?? 0} 个片段吗？`}
        confirmLabel="删除"
        danger
        onConfirm={() => void remove()}
        onCancel={() => setDeleting(null)}
      />
    </div>
  );
}
