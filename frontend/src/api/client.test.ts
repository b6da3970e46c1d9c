import { ApiClient } from "./client";
import { fakeServer, json, signIn, USER } from "../test/fakeServer";

describe("ApiClient", () => {
  it("signs in and keeps the session across a reload", async () => {
    fakeServer({ "POST /api/auth/login": () => json({ access_token: "a", refresh_token: "r", expires_in: 60, user: USER }) });
    await new ApiClient().login("alice", "pw");
    expect(new ApiClient().currentSession?.user.username).toBe("alice");
  });

  it("renews an expired access token once and repeats the request", async () => {
    signIn();
    let calls = 0;
    const server = fakeServer({
      "GET /api/auth/me": ({ headers }) => {
        calls += 1;
        return headers.get("Authorization") === "Bearer access-2"
          ? json(USER)
          : json({ detail: "expired", code: "token_expired" }, 401);
      },
      "POST /api/auth/refresh": () => json({ access_token: "access-2", refresh_token: "refresh-2", expires_in: 60, user: USER }),
    });
    const client = new ApiClient();
    await expect(client.request("/api/auth/me")).resolves.toEqual(USER);
    expect(calls).toBe(2);
    expect(server.calls.find((c) => c.path === "/api/auth/refresh")?.body).toEqual({ refresh_token: "refresh-1" });
    expect(client.currentSession?.refreshToken).toBe("refresh-2");
  });

  it("takes the pair another tab stored instead of presenting a refresh token it has used", async () => {
    signIn();
    const server = fakeServer({
      "GET /api/auth/me": ({ headers }) =>
        headers.get("Authorization") === "Bearer access-other-tab"
          ? json(USER)
          : json({ detail: "expired", code: "token_expired" }, 401),
      "POST /api/auth/refresh": () => json({ detail: "used twice", code: "token_revoked" }, 401),
    });
    const client = new ApiClient();
    // Another tab refreshed meanwhile: each refresh token works once, so ours is spent.
    localStorage.setItem(
      "puxian.session",
      JSON.stringify({ accessToken: "access-other-tab", refreshToken: "refresh-other-tab", user: USER }),
    );
    await expect(client.request("/api/auth/me")).resolves.toEqual(USER);
    expect(server.calls.some((c) => c.path === "/api/auth/refresh")).toBe(false);
    expect(client.currentSession?.refreshToken).toBe("refresh-other-tab");
  });

  it("ends the session, with the reason, when the token was revoked", async () => {
    signIn();
    fakeServer({ "GET /api/conversations": () => json({ detail: "revoked", code: "token_revoked" }, 401) });
    const client = new ApiClient();
    const reasons: Array<string | undefined> = [];
    client.subscribe((session, reason) => reasons.push(session ? "signed in" : reason?.code));
    await expect(client.request("/api/conversations")).rejects.toMatchObject({ code: "token_revoked" });
    expect(reasons).toEqual(["token_revoked"]);
    expect(client.currentSession).toBeNull();
    expect(localStorage.getItem("puxian.session")).toBeNull();
  });

  it("keeps the session on errors that are not about it", async () => {
    signIn();
    fakeServer({ "DELETE /api/conversations/x": () => json({ detail: "no", code: "conversation_not_found" }, 404) });
    const client = new ApiClient();
    await expect(client.request("/api/conversations/x", { method: "DELETE" })).rejects.toMatchObject({ status: 404 });
    expect(client.currentSession).not.toBeNull();
  });

  it("turns a failed connection into network_error", async () => {
    signIn();
    vi.stubGlobal("fetch", vi.fn(async () => Promise.reject(new TypeError("Failed to fetch"))));
    await expect(new ApiClient().request("/api/engines")).rejects.toMatchObject({ code: "network_error" });
  });
});
