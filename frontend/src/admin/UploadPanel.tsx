import { useRef, useState, type DragEvent } from "react";

import { formatBytes } from "../api/errors";
import { ACCEPTED, useUploads, type UploadItem } from "./useUploads";

const STATUS: Record<string, string> = {
  added: "已添加",
  updated: "已更新",
  unchanged: "内容未变",
  failed: "失败",
};

function itemStatus(item: UploadItem): string {
  if (item.state === "queued") return "等待上传";
  if (item.state === "uploading") return `上传中 ${Math.round(item.progress * 100)}%`;
  if (item.state === "processing") return "正在解析和嵌入…";
  if (item.result) return `${STATUS[item.result.status] ?? item.result.status}${item.result.chunks ? `，${item.result.chunks} 个片段` : ""}`;
  return "失败";
}

export function UploadPanel({ maxBytes, onUploaded }: { maxBytes: number | null; onUploaded: () => void }) {
  const uploads = useUploads(maxBytes, onUploaded);
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);

  function pick(files: FileList | null) {
    if (files && files.length) void uploads.start(Array.from(files));
    if (input.current) input.current.value = "";
  }

  function drop(event: DragEvent) {
    event.preventDefault();
    setDragging(false);
    pick(event.dataTransfer.files);
  }

  return (
    <section className="card" aria-labelledby="upload-title">
      <h2 id="upload-title">上传文档</h2>
      <div
        className={`dropzone ${dragging ? "dragging" : ""}`}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={drop}
      >
        <label htmlFor="upload-files" className="button primary">
          选择文件
        </label>
        <input
          ref={input}
          id="upload-files"
          className="visually-hidden"
          type="file"
          multiple
          accept={ACCEPTED.join(",")}
          onChange={(event) => pick(event.target.files)}
        />
        <p className="muted small-text">
          可一次选择多个文件，或拖放到这里。支持 {ACCEPTED.join(" ")}
          {maxBytes ? `；每次上传不超过 ${formatBytes(maxBytes)}` : ""}。同名文件会替换原文档。
        </p>
      </div>
      {uploads.items.length > 0 && (
        <>
          <ul className="upload-list" aria-label="上传进度">
            {uploads.items.map((item) => (
              <li key={item.key} className={`upload-item state-${item.state}`}>
                <div className="upload-line">
                  <span className="upload-name">{item.name}</span>
                  <span className="muted small-text">{formatBytes(item.size)}</span>
                  <span className="upload-status" role="status">
                    {itemStatus(item)}
                  </span>
                </div>
                {(item.state === "uploading" || item.state === "processing") && (
                  <progress max={1} value={item.state === "processing" ? undefined : item.progress} aria-label={`${item.name} 上传进度`} />
                )}
                {item.error && <p className="error-text">{item.error}</p>}
                {item.result?.errors.map((error) => (
                  <p key={error} className="error-text">
                    <code>{error}</code>
                  </p>
                ))}
                {item.result?.warnings.slice(0, 5).map((warning) => (
                  <p key={warning} className="muted small-text">
                    注意：<code>{warning}</code>
                  </p>
                ))}
              </li>
            ))}
          </ul>
          <button type="button" className="small" onClick={uploads.clear} disabled={uploads.running}>
            清除上传记录
          </button>
        </>
      )}
    </section>
  );
}
