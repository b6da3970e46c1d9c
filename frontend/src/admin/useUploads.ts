// Uploading knowledge files one request each, so that each has its own progress and result.

import { useCallback, useState } from "react";

import { ApiError, errorMessage, formatBytes } from "../api/errors";
import type { UploadResponse, UploadResult } from "../api/types";
import { useAuth } from "../auth/AuthContext";

export const ACCEPTED = [".md", ".markdown", ".txt", ".csv", ".tsv", ".dict.yaml", ".pdf", ".docx"];

export interface UploadItem {
  key: string;
  name: string;
  size: number;
  state: "queued" | "uploading" | "processing" | "done" | "failed";
  progress: number;
  result: UploadResult | null;
  error: string | null;
}

export function isAccepted(name: string): boolean {
  const lower = name.toLowerCase();
  return ACCEPTED.some((suffix) => lower.endsWith(suffix));
}

let next = 0;

export function useUploads(maxBytes: number | null, onUploaded: () => void) {
  const { client } = useAuth();
  const [items, setItems] = useState<UploadItem[]>([]);
  const [running, setRunning] = useState(false);

  const patch = (key: string, change: Partial<UploadItem>) =>
    setItems((all) => all.map((item) => (item.key === key ? { ...item, ...change } : item)));

  const start = useCallback(
    async (files: File[]) => {
      const queued: Array<{ item: UploadItem; file: File }> = files.map((file) => {
        next += 1;
        let error: string | null = null;
        if (!isAccepted(file.name)) error = errorMessage(new ApiError(422, "unsupported_file_type", ""));
        else if (maxBytes !== null && file.size > maxBytes) error = `文件超过上传大小上限（${formatBytes(maxBytes)}）。`;
        const item: UploadItem = {
          key: `u-${next}`,
          name: file.name,
          size: file.size,
          state: error ? "failed" : "queued",
          progress: 0,
          result: null,
          error,
        };
        return { item, file };
      });
      setItems((all) => [...queued.map((q) => q.item), ...all]);
      setRunning(true);
      for (const { item, file } of queued) {
        if (item.error) continue;
        patch(item.key, { state: "uploading" });
        const form = new FormData();
        form.append("files", file, file.name);
        try {
          const response = await client.upload<UploadResponse>("/api/admin/documents", form, (fraction) =>
            patch(item.key, { progress: fraction, state: fraction >= 1 ? "processing" : "uploading" }),
          );
          const result = response.results[0] ?? null;
          patch(item.key, {
            state: result?.status === "failed" ? "failed" : "done",
            progress: 1,
            result,
            error: null,
          });
        } catch (caught) {
          patch(item.key, { state: "failed", error: errorMessage(caught) });
        }
      }
      setRunning(false);
      onUploaded();
    },
    [client, maxBytes, onUploaded],
  );

  const clear = useCallback(() => setItems((all) => all.filter((item) => item.state === "uploading")), []);
  return { items, running, start, clear };
}
