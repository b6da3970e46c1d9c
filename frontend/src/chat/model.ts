import type { Feedback, Source, StoredMessage, Timings } from "../api/types";

export interface ChatMessage {
  key: string;
  id: number | null;
  role: "user" | "assistant";
  content: string;
  sources: Source[];
  timings: Timings | null;
  engine: string;
  feedback: Feedback | null;
  status: "done" | "waiting" | "streaming" | "error" | "stopped";
  error: string | null;
}

let counter = 0;
export function localKey(): string {
  counter += 1;
  return `local-${counter}`;
}

export function fromStored(message: StoredMessage): ChatMessage {
  return {
    key: `m-${message.id}`,
    id: message.id,
    role: message.role,
    content: message.content,
    sources: message.sources ?? [],
    timings: message.role === "assistant" && message.timings && Object.keys(message.timings).length ? message.timings : null,
    engine: message.engine ?? "",
    feedback: message.feedback,
    status: message.finish_reason === "error" ? "error" : "done",
    error: null,
  };
}
