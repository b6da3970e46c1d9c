import type { Fallback, Feedback, LinkedTerm, Source, StoredMessage, Timings, WordCard } from "../api/types";

export interface ChatMessage {
  key: string;
  id: number | null;
  role: "user" | "assistant";
  content: string;
  sources: Source[];
  /** The lexicon entries a question about a word is answered by, shown above the answer. */
  cards: WordCard[];
  /** The Puxian words the answer presents, each linked to its entry (or to none). */
  terms: LinkedTerm[];
  /** Whether the answer passed its grounding check; null: not checked (a refusal, or not done yet). */
  grounded: boolean | null;
  fallback: Fallback;
  timings: Timings | null;
  engine: string;
  feedback: Feedback | null;
  status: "done" | "waiting" | "streaming" | "error" | "stopped";
  error: string | null;
  /** How many questions the engine answers before this one (the stream's `queued`); null: none. */
  queuePosition: number | null;
}

let counter = 0;
function localKey(): string {
  counter += 1;
  return `local-${counter}`;
}

/** A message written on this side: a question, or an answer not yet streamed. */
export function localMessage(role: ChatMessage["role"], content: string, status: ChatMessage["status"]): ChatMessage {
  return {
    key: localKey(),
    id: null,
    role,
    content,
    sources: [],
    cards: [],
    terms: [],
    grounded: null,
    fallback: "",
    timings: null,
    engine: "",
    feedback: null,
    status,
    error: null,
    queuePosition: null,
  };
}

export function fromStored(message: StoredMessage): ChatMessage {
  return {
    key: `m-${message.id}`,
    id: message.id,
    role: message.role,
    content: message.content,
    sources: message.sources ?? [],
    cards: message.cards ?? [],
    terms: message.terms ?? [],
    grounded: message.grounded ?? null,
    fallback: message.fallback ?? "",
    timings: message.role === "assistant" && message.timings && Object.keys(message.timings).length ? message.timings : null,
    engine: message.engine ?? "",
    feedback: message.feedback,
    status: message.finish_reason === "error" ? "error" : "done",
    error: null,
    queuePosition: null,
  };
}
