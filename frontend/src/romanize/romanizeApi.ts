import type { ApiClient } from "../api/client";
import type { RomanizationSystem, RomanizeResponse } from "../api/types";

export interface RomanizeOptions {
  text: string;
  from: "auto" | RomanizationSystem;
  point: "putian" | "xianyou";
}

/** POST /api/romanize: every system, citation and connected forms. */
export function romanize(client: ApiClient, options: RomanizeOptions, signal?: AbortSignal): Promise<RomanizeResponse> {
  return client.request<RomanizeResponse>("/api/romanize", {
    method: "POST",
    body: { text: options.text, from: options.from, point: options.point, to: ["psp", "buc", "ipa"] },
    signal,
  });
}
