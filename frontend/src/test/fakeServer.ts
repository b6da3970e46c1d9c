// A stand-in for the backend in unit tests: routes `fetch` calls to handlers by method and path.

import { vi } from "vitest";

export type Handler = (request: { method: string; path: string; body: unknown; headers: Headers }) => Response | Promise<Response>;

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

/** A text/event-stream response whose events arrive in separate chunks (as over a network). */
export function eventStream(events: Array<[string, unknown]>, splitAt = 7): Response {
  const text = events.map(([event, data]) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`).join("");
  const encoder = new TextEncoder();
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += splitAt) chunks.push(text.slice(i, i + splitAt));
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
  return new Response(stream, { status: 200, headers: { "Content-Type": "text/event-stream" } });
}

/** A text/event-stream response the test writes to as it goes: to see what shows before the next event. */
export function openEventStream() {
  const encoder = new TextEncoder();
  let stream!: ReadableStreamDefaultController<Uint8Array>;
  const response = new Response(
    new ReadableStream<Uint8Array>({
      start(controller) {
        stream = controller;
      },
    }),
    { status: 200, headers: { "Content-Type": "text/event-stream" } },
  );
  return {
    response,
    send(event: string, data: unknown) {
      stream.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
    },
    close() {
      stream.close();
    },
  };
}

export function fakeServer(routes: Record<string, Handler>) {
  const calls: Array<{ method: string; path: string; body: unknown; headers: Headers }> = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), "http://localhost");
    const method = (init?.method ?? "GET").toUpperCase();
    const headers = new Headers(init?.headers);
    const body = typeof init?.body === "string" ? (JSON.parse(init.body) as unknown) : init?.body;
    const call = { method, path: url.pathname + url.search, body, headers };
    calls.push(call);
    const handler = routes[`${method} ${url.pathname + url.search}`] ?? routes[`${method} ${url.pathname}`];
    if (!handler) return json({ detail: "Not Found", code: "not_found" }, 404);
    return handler(call);
  });
  vi.stubGlobal("fetch", fetchMock);
  return { calls, fetchMock };
}

export const USER = {
  id: 1,
  username: "alice",
  role: "user" as const,
  is_active: true,
  created_at: "2026-01-01T00:00:00Z",
};

export function signIn(user: { id: number; username: string; role: "user" | "admin" } = USER): void {
  localStorage.setItem(
    "puxian.session",
    JSON.stringify({ accessToken: "access-1", refreshToken: "refresh-1", user: { ...USER, ...user } }),
  );
}
