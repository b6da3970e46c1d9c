// POST /api/admin/generate: a raw prompt or chat messages → text on one engine, no retrieval.

import type { ApiClient } from "../api/client";

export type PlaygroundRole = "system" | "user" | "assistant";

export interface PlaygroundMessage {
  role: PlaygroundRole;
  content: string;
}

export interface Sampling {
  max_tokens?: number;
  temperature?: number;
  top_p?: number;
}

/** Exactly one of `prompt` (sent as is) and `messages` (through the chat template). */
export type GenerateRequest = Sampling & { engine: string } & (
    | { prompt: string; messages?: never }
    | { messages: PlaygroundMessage[]; prompt?: never }
  );

export interface GenerateResult {
  engine: string;
  text: string;
  usage: { prompt_tokens: number; completion_tokens: number };
  timings: { ttft_ms: number; total_ms: number; tokens_per_s: number };
  finish_reason: "stop" | "length" | "aborted";
}

export function generate(client: ApiClient, request: GenerateRequest, signal?: AbortSignal): Promise<GenerateResult> {
  return client.request<GenerateResult>("/api/admin/generate", { method: "POST", body: request, signal });
}
