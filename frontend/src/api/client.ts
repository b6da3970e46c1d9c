// The API client: adds the bearer token, renews an expired access token once with the refresh
// token, and turns every error response into an `ApiError`.

import { ApiError, errorFromResponse } from "./errors";
import { loadSession, saveSession, type Session } from "./session";
import type { TokenPair, User } from "./types";

export type SessionListener = (session: Session | null, reason: ApiError | null) => void;

export interface RequestOptions {
  method?: string;
  body?: unknown;
  signal?: AbortSignal;
}

export class ApiClient {
  private session: Session | null;
  private refreshing: Promise<boolean> | null = null;
  private readonly listeners = new Set<SessionListener>();
  private readonly storage: Storage;

  constructor(storage: Storage = window.localStorage) {
    this.storage = storage;
    this.session = loadSession(storage);
  }

  get currentSession(): Session | null {
    return this.session;
  }

  subscribe(listener: SessionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async login(username: string, password: string): Promise<User> {
    const response = await this.send("/api/auth/login", { method: "POST", body: { username, password } }, null);
    if (!response.ok) throw await errorFromResponse(response);
    const pair = (await response.json()) as TokenPair;
    this.setSession({ accessToken: pair.access_token, refreshToken: pair.refresh_token, user: pair.user });
    return pair.user;
  }

  /** Whether no administrator exists yet and the server's log holds a setup code. */
  async setupNeeded(): Promise<boolean> {
    const response = await this.send("/api/setup", { method: "GET" }, null);
    if (!response.ok) return false;
    return ((await response.json()) as { needed: boolean }).needed;
  }

  /** Create the first administrator with the setup code, and sign it in. */
  async createFirstAdmin(code: string, username: string, password: string): Promise<User> {
    const response = await this.send("/api/setup", { method: "POST", body: { code, username, password } }, null);
    if (!response.ok) throw await errorFromResponse(response);
    const pair = (await response.json()) as TokenPair;
    this.setSession({ accessToken: pair.access_token, refreshToken: pair.refresh_token, user: pair.user });
    return pair.user;
  }

  logout(reason: ApiError | null = null): void {
    this.setSession(null, reason);
  }

  /** A JSON request; resolves to the parsed body (undefined for 204). */
  async request<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.fetchAuthorized(path, options);
    if (response.status === 204) return undefined as T;
    try {
      return (await response.json()) as T;
    } catch {
      throw new ApiError(response.status, "invalid_response", "");
    }
  }

  /** A signed-in request whose response is returned as it is when it succeeds (for streams). */
  async fetchAuthorized(path: string, options: RequestOptions = {}): Promise<Response> {
    const session = this.session;
    if (!session) {
      const error = new ApiError(401, "not_authenticated", "");
      this.logout(error);
      throw error;
    }
    let response = await this.send(path, options, session.accessToken);
    if (response.status === 401) {
      const error = await errorFromResponse(response);
      if (error.code === "token_expired" && (await this.refresh(session))) {
        response = await this.send(path, options, this.session?.accessToken ?? null);
      } else {
        if (["token_expired", "token_revoked", "invalid_token"].includes(error.code)) this.logout(error);
        throw error;
      }
    }
    if (!response.ok) {
      const error = await errorFromResponse(response);
      if (response.status === 401 || error.code === "account_disabled") this.logout(error);
      throw error;
    }
    return response;
  }

  /** A multipart upload with progress (fetch cannot report upload progress). */
  async upload<T>(
    path: string,
    form: FormData,
    onProgress: (fraction: number) => void,
    signal?: AbortSignal,
  ): Promise<T> {
    const session = this.session;
    try {
      return await this.uploadOnce<T>(path, form, onProgress, session?.accessToken, signal);
    } catch (error) {
      const expired = error instanceof ApiError && error.code === "token_expired";
      if (expired && session && (await this.refresh(session))) {
        return this.uploadOnce<T>(path, form, onProgress, this.session?.accessToken, signal);
      }
      if (error instanceof ApiError && error.status === 401) this.logout(error);
      throw error;
    }
  }

  private uploadOnce<T>(
    path: string,
    form: FormData,
    onProgress: (fraction: number) => void,
    token: string | undefined,
    signal?: AbortSignal,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", path);
      if (token) xhr.setRequestHeader("Authorization", `Bearer ${token}`);
      xhr.upload.onprogress = (event) => {
        if (event.lengthComputable) onProgress(event.loaded / event.total);
      };
      xhr.onerror = () => reject(new ApiError(0, "network_error", ""));
      xhr.onabort = () => reject(new DOMException("aborted", "AbortError"));
      xhr.onload = () => {
        let body: { detail?: string; code?: string } | null = null;
        try {
          body = JSON.parse(xhr.responseText) as { detail?: string; code?: string };
        } catch {
          body = null;
        }
        if (xhr.status >= 200 && xhr.status < 300 && body) {
          resolve(body as T);
          return;
        }
        const code = body?.code ?? (xhr.status >= 500 ? "internal_error" : "http_error");
        reject(new ApiError(xhr.status, code, body?.detail ?? xhr.statusText));
      };
      signal?.addEventListener("abort", () => xhr.abort());
      xhr.send(form);
    });
  }

  private async refresh(expired: Session): Promise<boolean> {
    if (this.session !== expired) return this.session !== null; // renewed meanwhile
    // Each refresh token works once (docs/api.md): when another tab has already used ours, take the
    // pair it stored rather than present the used token, which would end every tab's session.
    const stored = loadSession(this.storage);
    if (stored && stored.refreshToken !== expired.refreshToken) {
      this.setSession(stored);
      return true;
    }
    this.refreshing ??= (async () => {
      try {
        const response = await this.send(
          "/api/auth/refresh",
          { method: "POST", body: { refresh_token: expired.refreshToken } },
          null,
        );
        if (!response.ok) return false;
        const pair = (await response.json()) as TokenPair;
        this.setSession({ accessToken: pair.access_token, refreshToken: pair.refresh_token, user: pair.user });
        return true;
      } catch {
        return false;
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  private async send(path: string, options: RequestOptions, token: string | null): Promise<Response> {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (options.body !== undefined) headers["Content-Type"] = "application/json";
    try {
      return await fetch(path, {
        method: options.method ?? "GET",
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: options.signal,
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === "AbortError") throw error;
      throw new ApiError(0, "network_error", String(error));
    }
  }

  private setSession(session: Session | null, reason: ApiError | null = null): void {
    const changed = this.session !== session;
    this.session = session;
    saveSession(this.storage, session);
    if (changed) this.listeners.forEach((listener) => listener(session, reason));
  }
}
