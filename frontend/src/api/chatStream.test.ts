import { ApiClient } from "./client";
import { streamChat, StreamError } from "./chatStream";
import { eventStream, fakeServer, json, signIn } from "../test/fakeServer";
import { wordCard } from "../test/wordCards";
import type { WordCard } from "./types";

const SOURCES = [{ number: 1, id: "d#0", doc_id: "d", title: "时间词", section: "", text: "今天说今旦。", score: 0.9 }];

function handlers() {
  const seen: string[] = [];
  return {
    seen,
    onSources: (event: { conversation_id: string; sources: unknown[] }) => seen.push(`sources:${event.conversation_id}:${event.sources.length}`),
    onDelta: (text: string) => seen.push(`delta:${text}`),
    onCards: (cards: WordCard[]) => seen.push(`cards:${cards.map((card) => card.headword).join(",")}`),
    onQueued: (position: number) => seen.push(`queued:${position}`),
  };
}

describe("streamChat", () => {
  beforeEach(() => signIn());

  it("passes sources and each delta on as they arrive, and resolves with done", async () => {
    const server = fakeServer({
      "POST /api/chat/stream": () =>
        eventStream([
          ["sources", { conversation_id: "c1", message_id: 1, sources: SOURCES }],
          ["delta", { text: "今旦" }],
          ["delta", { text: " [1]。" }],
          ["done", { message_id: 2, conversation_id: "c1", usage: {}, timings: { total_ms: 900 }, engine: "vllm", finish_reason: "stop" }],
        ]),
    });
    const h = handlers();
    const done = await streamChat(new ApiClient(), { question: "今天？", engine: "vllm" }, h);
    expect(h.seen).toEqual(["sources:c1:1", "delta:今旦", "delta: [1]。"]);
    expect([done.message_id, done.engine, done.timings.total_ms]).toEqual([2, "vllm", 900]);
    expect(server.calls[0]?.body).toEqual({ question: "今天？", engine: "vllm" });
    expect(server.calls[0]?.headers.get("Authorization")).toBe("Bearer access-1");
  });

  it("passes the queue position on before the sources", async () => {
    fakeServer({
      "POST /api/chat/stream": () =>
        eventStream([
          ["queued", { position: 2 }],
          ["sources", { conversation_id: "c1", message_id: 1, sources: SOURCES }],
          ["delta", { text: "今旦" }],
          ["done", { message_id: 2, conversation_id: "c1", usage: {}, timings: {}, engine: "vllm", finish_reason: "stop" }],
        ]),
    });
    const h = handlers();
    await streamChat(new ApiClient(), { question: "今天？" }, h);
    expect(h.seen).toEqual(["queued:2", "sources:c1:1", "delta:今旦"]);
  });

  it("passes the word cards on between sources and the first delta; done carries the grounding check", async () => {
    const card = wordCard();
    fakeServer({
      "POST /api/chat/stream": () =>
        eventStream([
          ["sources", { conversation_id: "c1", message_id: 1, sources: SOURCES }],
          ["cards", { cards: [card, wordCard({ point: "仙游" })] }],
          ["delta", { text: "箸 [1]。" }],
          [
            "done",
            {
              message_id: 2, conversation_id: "c1", usage: {}, timings: {}, engine: "vllm", finish_reason: "stop",
              grounded: true, fallback: "regenerated", terms: [{ text: "箸", entry: card }, { text: "筷", entry: null }],
            },
          ],
        ]),
    });
    const h = handlers();
    const done = await streamChat(new ApiClient(), { question: "筷子用莆仙话怎么说？" }, h);
    expect(h.seen).toEqual(["sources:c1:1", "cards:箸,箸", "delta:箸 [1]。"]);
    expect([done.grounded, done.fallback]).toEqual([true, "regenerated"]);
    expect(done.terms?.map((term) => term.entry?.entry_id ?? null)).toEqual([card.entry_id, null]);
  });

  it("rejects with the error event's code and stored message id, after the partial answer", async () => {
    fakeServer({
      "POST /api/chat/stream": () =>
        eventStream([
          ["sources", { conversation_id: "c1", message_id: 1, sources: [] }],
          ["delta", { text: "部分" }],
          ["error", { detail: "boom", code: "engine_failed", message_id: 2 }],
        ]),
    });
    const h = handlers();
    const failure = streamChat(new ApiClient(), { question: "q" }, h);
    await expect(failure).rejects.toBeInstanceOf(StreamError);
    await expect(failure).rejects.toMatchObject({ code: "engine_failed", messageId: 2 });
    expect(h.seen).toEqual(["sources:c1:0", "delta:部分"]);
  });

  it("reports a stream that ends without done as interrupted", async () => {
    fakeServer({ "POST /api/chat/stream": () => eventStream([["delta", { text: "半" }]]) });
    await expect(streamChat(new ApiClient(), { question: "q" }, handlers())).rejects.toMatchObject({ code: "stream_interrupted" });
  });

  it("falls back to POST /api/chat (without the engine) where the server has no stream route", async () => {
    const server = fakeServer({
      "POST /api/chat": () =>
        json({
          answer: "今旦 [1]", sources: SOURCES, timings: {}, usage: {}, engine: "transformers", finish_reason: "stop", conversation_id: "c9", message_id: 4,
          cards: [wordCard({ headword: "今旦" })], terms: [], grounded: false, fallback: "extractive",
        }),
    });
    const h = handlers();
    const done = await streamChat(new ApiClient(), { question: "q", engine: "vllm", conversation_id: "c9" }, h);
    expect(h.seen).toEqual(["sources:c9:1", "cards:今旦", "delta:今旦 [1]"]);
    expect([done.message_id, done.grounded, done.fallback]).toEqual([4, false, "extractive"]);
    expect(server.calls.map((c) => c.path)).toEqual(["/api/chat/stream", "/api/chat"]);
    expect(server.calls[1]?.body).toEqual({ question: "q", conversation_id: "c9" });
  });

  it("throws the server's error for a refused request", async () => {
    fakeServer({ "POST /api/chat/stream": () => json({ detail: "not ready", code: "engine_not_ready" }, 409) });
    await expect(streamChat(new ApiClient(), { question: "q" }, handlers())).rejects.toMatchObject({ status: 409, code: "engine_not_ready" });
  });
});
