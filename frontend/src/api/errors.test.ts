import { ApiError, endsSession, errorFromResponse, errorMessage } from "./errors";

// Every code docs/api.md lists, plus those of the knowledge and engine routes.
const DOCUMENTED_CODES = [
  "invalid_json", "not_authenticated", "invalid_token", "token_expired", "token_revoked", "invalid_api_key",
  "invalid_credentials", "admin_required", "account_disabled", "session_required", "wrong_password",
  "registration_closed", "not_found", "conversation_not_found", "message_not_found", "feedback_not_found",
  "user_not_found", "api_key_not_found", "method_not_allowed", "username_taken", "own_account", "body_too_large",
  "missing_field", "unknown_field", "invalid_body", "question_empty", "question_too_long", "username_invalid",
  "password_too_short", "password_is_username", "title_empty", "name_empty", "update_empty", "not_an_answer",
  "too_many_login_attempts", "engine_failed", "engine_not_ready", "model_not_prepared", "internal_error",
  "document_not_found", "document_curated", "unsupported_file_type", "file_name_invalid", "duplicate_file",
  "engine_unknown", "engine_switch_in_progress", "prompt_too_long", "invalid_syllable",
  "prompt_or_messages", "prompt_empty", "engine_busy", "too_many_requests", "invalid_text", "setup_code_invalid",
  "setup_code_expired", "setup_done",
];

describe("errorMessage", () => {
  it.each(DOCUMENTED_CODES)("has a Chinese message for %s", (code) => {
    const message = errorMessage(new ApiError(400, code, "English detail"));
    expect(message).not.toContain(code);
    expect(message).not.toContain("English");
    expect(message).toMatch(/[\u4e00-\u9fff]/);
  });

  it("names the field of pydantic's type errors", () => {
    expect(errorMessage(new ApiError(422, "string_too_long", "title: String should have at most 200 characters"))).toBe("标题太长了。");
    expect(errorMessage(new ApiError(422, "missing_field", "The field 'question' is required."))).toBe("缺少必填项：问题。");
    expect(errorMessage(new ApiError(422, "less_than_equal", "max_tokens: Input should be less than or equal to 1024"))).toBe(
      "最大生成长度超出了允许的最大值。",
    );
  });

  it("uses the numbers the server gives", () => {
    expect(errorMessage(new ApiError(422, "password_too_short", "The password needs at least 12 characters."))).toBe("密码至少需要 12 个字符。");
    expect(errorMessage(new ApiError(429, "too_many_login_attempts", "locked", 600))).toBe("登录失败次数过多，请 10 分钟后再试。");
    expect(errorMessage(new ApiError(503, "engine_busy", "busy", 12))).toBe("现在提问的人太多，请 12 秒后再问。");
    expect(errorMessage(new ApiError(429, "too_many_requests", "slow down", 30))).toBe("提问太频繁了，请 30 秒后再问。");
    expect(errorMessage(new ApiError(413, "body_too_large", "larger than the limit of 20480 KiB."))).toBe("内容太大，超过了 20 MB 的上限。");
    expect(errorMessage(new ApiError(422, "upload_failed", "Nothing was imported: bad.tsv:3: no gloss"))).toBe("文件未能导入：bad.tsv:3: no gloss");
  });

  it("names the syllable and the system of an invalid romanization", async () => {
    const response = new Response(
      JSON.stringify({ detail: "'xq7' is not a valid PSP syllable", code: "invalid_syllable", syllable: "xq7", system: "psp" }),
      { status: 422 },
    );
    expect(errorMessage(await errorFromResponse(response))).toBe("“xq7”不是有效的莆仙话拼音音节。");
  });

  it("falls back to a generic message that still shows an unknown code", () => {
    expect(errorMessage(new ApiError(418, "teapot", "I'm a teapot"))).toBe("请求失败（teapot）。");
    expect(errorMessage(new ApiError(503, "brand_new", ""))).toBe("服务器出错（brand_new），请稍后重试。");
    expect(errorMessage(new TypeError("Failed to fetch"))).toBe("无法连接服务器，请检查网络后重试。");
  });

  it("says which errors end the session", () => {
    expect(endsSession(new ApiError(401, "token_revoked", ""))).toBe(true);
    expect(endsSession(new ApiError(401, "invalid_credentials", ""))).toBe(false);
    expect(endsSession(new ApiError(403, "admin_required", ""))).toBe(false);
  });
});

describe("errorFromResponse", () => {
  it("reads {detail, code} and Retry-After", async () => {
    const response = new Response(JSON.stringify({ detail: "locked", code: "too_many_login_attempts" }), {
      status: 429,
      headers: { "Retry-After": "120" },
    });
    const error = await errorFromResponse(response);
    expect([error.status, error.code, error.detail, error.retryAfter]).toEqual([429, "too_many_login_attempts", "locked", 120]);
  });

  it("copes with a body that is not JSON", async () => {
    const error = await errorFromResponse(new Response("<html>bad gateway</html>", { status: 502 }));
    expect([error.status, error.code]).toEqual([502, "internal_error"]);
  });
});
