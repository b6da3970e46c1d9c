// Asking a question: `POST /api/chat/stream` read as server-sent events, or `POST /api/chat` when the
// server has no streaming route (older servers answer it 404).

import type { ApiClient } from "./client";
import { ApiError } from "./errors";
import { SseParser } from "./sse";
import type { ChatResponse, Fallback, LinkedTerm, Source, Timings, WordCard } from "./types";

export interface ChatRequest {
  question: string;
  conversation_id?: string;
  top_k?: number;
  engine?: string;
}

export interface SourcesEvent {
  conversation_id: string;
  message_id: number;
  sources: Source[];
}

export interface DoneEvent {
  message_id: number;
  conversation_id: string;
  usage: { prompt_tokens?: number; completion_tokens?: number };
  timings: Timings;
  engine: string;
  finish_reason: string;
  grounded?: boolean | null;
  fallback?: Fallback;
  terms?: LinkedTerm[];
}

export interface StreamHandlers {
  onSources: (event: SourcesEvent) => void;
  onDelta: (text: string) => void;
  /** The word cards of a question about a word, before the answer's text. */
  onCards?: (cards: WordCard[]) => void;
  /** The engine is busy: `position` questions are answered before this one. */
  onQueued?: (position: number) => void;
}

/** Resolves with the `done` event; rejects with an ApiError (carrying the stored message id, if any). */
export async function streamChat(
  client: ApiClient,
  request: ChatRequest,
  handlers: StreamHandlers,
  signal?: AbortSignal,
): Promise<DoneEvent> {
  let response: Response;
  try {
    response = await client.fetchAuthorized("/api/chat/stream", { method: "POST", body: request, signal });
  } catch (error) {
    if (error instanceof ApiError && error.status === 404 && error.code === "not_found") {
      return askWithoutStreaming(client, request, handlers, signal);
    }
    throw error;
  }
  if (!response.body) throw new ApiError(response.status, "invalid_response", "");
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const parser = new SseParser();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      const events = done ? parser.finish() : parser.push(value);
      for (const event of events) {
        const outcome = dispatch(event.event, event.data, handlers);
        if (outcome) return outcome;
      }
      if (done) break;
    }
  } catch (error) {
    if (error instanceof ApiError || (error instanceof DOMException && error.name === "AbortError")) throw error;
    throw new ApiError(0, "stream_interrupted", String(error));
  } finally {
    reader.releaseLock();
  }
  throw new ApiError(0, "stream_interrupted", "the stream ended before its done event");
}

export class StreamError extends ApiError {
  readonly messageId: number | null;

  constructor(code: string, detail: string, messageId: number | null) {
    super(0, code, detail);
    this.messageId = messageId;
  }
}

function dispatch(kind: string, data: string, handlers: StreamHandlers): DoneEvent | null {
  let payload: unknown;
  try {
    payload = JSON.parse(data);
  } catch {
    throw new ApiError(0, "invalid_response", `event ${kind} is not JSON`);
  }
  switch (kind) {
    case "sources":
      handlers.onSources(payload as SourcesEvent);
      return null;
    case "delta":
      handlers.onDelta((payload as { text: string }).text);
      return null;
    case "cards":
      handlers.onCards?.((payload as { cards: WordCard[] }).cards);
      return null;
    case "queued":
      handlers.onQueued?.((payload as { position: number }).position);
      return null;
    case "done":
      return payload as DoneEvent;
    case "error": {
      const error = payload as { detail?: string; code?: string; message_id?: number };
      throw new StreamError(error.code ?? "engine_failed", error.detail ?? "", error.message_id ?? null);
    }
    default:
      return null; // events added later are ignored
  }
}

async function askWithoutStreaming(
  client: ApiClient,
  request: ChatRequest,
  handlers: StreamHandlers,
  signal?: AbortSignal,
): Promise<DoneEvent> {
  const body: Omit<ChatRequest, "engine"> = { question: request.question };
  if (request.conversation_id) body.conversation_id = request.conversation_id;
  if (request.top_k) body.top_k = request.top_k;
  const answer = await client.request<ChatResponse>("/api/chat", { method: "POST", body, signal });
  handlers.onSources({
    conversation_id: answer.conversation_id,
    message_id: answer.message_id - 1,
    sources: answer.sources,
  });
  if (answer.cards?.length) handlers.onCards?.(answer.cards);
  handlers.onDelta(answer.answer);
  return {
    message_id: answer.message_id,
    conversation_id: answer.conversation_id,
    usage: answer.usage,
    timings: answer.timings,
    engine: answer.engine,
    finish_reason: answer.finish_reason,
    grounded: answer.grounded,
    fallback: answer.fallback,
    terms: answer.terms,
  };
}
