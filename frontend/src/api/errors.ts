// Every error the API returns is `{detail, code}`; the interface shows a zh-CN message chosen by `code`.

/** An error from the API (or the network), with its stable code. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly retryAfter: number | null;
  /** Fields some errors add: `syllable` and `system` for invalid_syllable. */
  readonly extra: Record<string, string>;

  constructor(status: number, code: string, detail: string, retryAfter: number | null = null, extra: Record<string, string> = {}) {
    super(detail || code);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.retryAfter = retryAfter;
    this.extra = extra;
  }
}

const SYSTEM_NAMES: Record<string, string> = { psp: "莆仙话拼音", buc: "平话字", ipa: "国际音标" };

const MESSAGES: Record<string, string> = {
  // Client side
  network_error: "无法连接服务器，请检查网络后重试。",
  stream_interrupted: "回答传输中断，已显示收到的部分。",
  invalid_response: "服务器返回了无法识别的内容，请稍后重试。",
  file_too_large_client: "文件超过上传大小上限。",
  // 400
  invalid_json: "请求格式有误（不是合法的 JSON）。",
  // 401
  not_authenticated: "请先登录。",
  invalid_token: "登录状态无效，请重新登录。",
  token_expired: "登录已过期，请重新登录。",
  token_revoked: "登录已失效（密码已更改或账号被停用），请重新登录。",
  invalid_api_key: "API 密钥无效或已被撤销。",
  invalid_credentials: "用户名或密码错误。",
  setup_code_invalid: "设置码不对或已失效。设置码印在服务器的日志里；失效后重启服务器会生成新的。",
  setup_code_expired: "设置码已过期，请重启服务器，从日志里取新的设置码。",
  setup_done: "管理员已经创建，请直接登录。",
  invalid_text: "输入里有无法识别的字符，请删掉后重试。",
  // 403
  admin_required: "只有管理员可以执行此操作。",
  account_disabled: "该账号已被停用，请联系管理员。",
  session_required: "此操作需要登录会话，不能使用 API 密钥。",
  wrong_password: "当前密码不正确。",
  registration_closed: "暂不开放注册，请联系管理员创建账号。",
  // 404
  not_found: "请求的内容不存在。",
  conversation_not_found: "找不到这个会话，它可能已被删除。",
  message_not_found: "找不到这条消息，它可能已被删除。",
  feedback_not_found: "这条回答还没有反馈。",
  user_not_found: "找不到这个用户。",
  api_key_not_found: "找不到这个 API 密钥。",
  document_not_found: "找不到这个文档，它可能已被删除。",
  engine_unknown: "没有这个推理后端，请刷新页面后重新选择。",
  // 405
  method_not_allowed: "服务器不支持此操作。",
  // 409
  username_taken: "该用户名已被使用。",
  own_account: "不能对自己的账号执行此操作。",
  document_curated: "精选知识来自知识库文件夹，不能在这里删除；请在服务器上删除对应文件。",
  engine_switch_in_progress: "推理后端正在切换，请等切换完成后再试。",
  // 413
  body_too_large: "内容太大，超过了服务器的大小上限。",
  // 422
  missing_field: "缺少必填项。",
  unknown_field: "请求中有不被接受的字段。",
  invalid_body: "请求内容格式有误。",
  question_empty: "请输入问题。",
  invalid_syllable: "输入中有不是该拼写系统的音节。",
  question_too_long: "问题太长了，请精简后再问。",
  prompt_too_long: "问题和资料加起来太长，模型放不下；请缩短问题或减少检索段落。",
  prompt_or_messages: "请只填写原始提示词或对话消息中的一种。",
  prompt_empty: "提示词不能为空。",
  username_invalid: "用户名需为 3–32 个字符，只能包含文字、数字、下划线、点和连字符。",
  password_too_short: "密码太短。",
  password_is_username: "密码不能与用户名相同。",
  title_empty: "标题不能为空。",
  name_empty: "名称不能为空。",
  update_empty: "没有要修改的内容。",
  not_an_answer: "只能对助手的回答给出反馈。",
  unsupported_file_type: "不支持这种文件类型。支持：.md .txt .csv .tsv .dict.yaml .pdf .docx。",
  file_name_invalid: "文件名不可用，请重命名后再上传。",
  duplicate_file: "同一个文件被选择了两次。",
  // 429
  too_many_login_attempts: "登录失败次数过多，账号已暂时锁定。",
  too_many_requests: "提问太频繁了，请稍后再问。",
  // 5xx
  internal_error: "服务器内部错误，请稍后重试。",
  engine_failed: "语言模型生成回答失败，请重试。",
  engine_busy: "现在提问的人太多，语言模型忙不过来，请稍后再问。",
  engine_not_ready: "所选推理后端还没有就绪（未加载或正在加载），请稍候或换一个后端。",
  engine_unavailable: "所选推理后端无法在这台服务器上运行（原因见推理后端列表），请换一个后端。",
  engine_load_failed: "推理后端加载失败。",
  model_not_prepared: "模型尚未准备好，请管理员运行 puxian prepare-models。",
  frontend_not_built: "网页界面尚未构建。",
  http_error: "请求失败。",
};

// pydantic's own codes name a field in `detail` ("field: message").
const FIELD_NAMES: Record<string, string> = {
  question: "问题",
  top_k: "检索段落数",
  conversation_id: "会话",
  engine: "推理后端",
  title: "标题",
  username: "用户名",
  password: "密码",
  new_password: "新密码",
  current_password: "当前密码",
  role: "角色",
  name: "名称",
  comment: "评论",
  rating: "评价",
  limit: "每页数量",
  offset: "页码",
  files: "文件",
  refresh_token: "登录凭证",
  text: "要转换的文字",
  prompt: "提示词",
  messages: "对话消息",
  content: "消息内容",
  max_tokens: "最大生成长度",
  temperature: "温度",
  top_p: "top_p",
  repetition_penalty: "重复惩罚",
  stop: "停止词",
  seed: "随机种子",
};

const TYPE_MESSAGES: Record<string, string> = {
  string_too_long: "太长了",
  string_too_short: "太短了",
  uuid_parsing: "格式不正确",
  int_parsing: "必须是整数",
  enum: "取值不在允许范围内",
  literal_error: "取值不在允许范围内",
  less_than_equal: "超出了允许的最大值",
  greater_than_equal: "低于允许的最小值",
  less_than: "超出了允许的范围",
  greater_than: "超出了允许的范围",
  string_type: "必须是文字",
  bool_parsing: "必须是是/否",
};

function fieldOf(detail: string): string | null {
  const match = /^([A-Za-z_][\w.]*)\s*[:：]/.exec(detail) ?? /'([A-Za-z_][\w.]*)'/.exec(detail);
  if (!match?.[1]) return null;
  const name = match[1].split(".").pop() ?? match[1];
  return FIELD_NAMES[name] ?? name;
}

/** The zh-CN message for an error; unknown codes fall back to a generic message with the code. */
export function errorMessage(error: unknown): string {
  if (!(error instanceof ApiError)) {
    if (error instanceof TypeError) return MESSAGES.network_error as string;
    return "发生了意外错误，请刷新页面后重试。";
  }
  const { code, detail, status, retryAfter } = error;
  if (code === "too_many_login_attempts" && retryAfter) {
    const minutes = Math.max(1, Math.ceil(retryAfter / 60));
    return `登录失败次数过多，请 ${minutes} 分钟后再试。`;
  }
  if ((code === "engine_busy" || code === "too_many_requests") && retryAfter) {
    const busy = code === "engine_busy" ? "现在提问的人太多" : "提问太频繁了";
    return `${busy}，请 ${retryAfter} 秒后再问。`;
  }
  if (code === "upload_failed") return `文件未能导入：${detail.replace(/^Nothing was imported: /, "")}`;
  if (code === "missing_field" || code === "unknown_field") {
    const field = fieldOf(detail);
    if (field) return code === "missing_field" ? `缺少必填项：${field}。` : `不被接受的字段：${field}。`;
  }
  if (code === "invalid_syllable" && error.extra.syllable) {
    const system = SYSTEM_NAMES[error.extra.system ?? ""] ?? "拼写";
    return `“${error.extra.syllable}”不是有效的${system}音节。`;
  }
  if (code === "password_too_short") {
    const min = /(\d+)/.exec(detail)?.[1];
    if (min) return `密码至少需要 ${min} 个字符。`;
  }
  if (code === "body_too_large") {
    const kib = /(\d+)\s*KiB/.exec(detail)?.[1];
    if (kib) return `内容太大，超过了 ${formatBytes(Number(kib) * 1024)} 的上限。`;
  }
  const known = MESSAGES[code];
  if (known) return known;
  const typeMessage = TYPE_MESSAGES[code];
  if (typeMessage) {
    const field = fieldOf(detail);
    return field ? `${field}${typeMessage}。` : `输入${typeMessage}。`;
  }
  if (status >= 500) return `服务器出错（${code}），请稍后重试。`;
  return `请求失败（${code}）。`;
}

/** Whether this error means the session is over (the user must sign in again). */
export function endsSession(error: unknown): boolean {
  return (
    error instanceof ApiError &&
    error.status === 401 &&
    ["invalid_token", "token_expired", "token_revoked", "not_authenticated"].includes(error.code)
  );
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(bytes % (1024 * 1024) ? 1 : 0)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}

/** Reads an error response's `{detail, code}` (or makes one from the status when the body is not JSON). */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  const retry = response.headers.get("Retry-After");
  const retryAfter = retry && /^\d+$/.test(retry) ? Number(retry) : null;
  try {
    const body = (await response.json()) as Record<string, unknown>;
    const code = typeof body.code === "string" ? body.code : `http_${response.status}`;
    const detail = typeof body.detail === "string" ? body.detail : response.statusText;
    const extra = Object.fromEntries(
      Object.entries(body).filter(([key, value]) => key !== "code" && key !== "detail" && typeof value === "string"),
    ) as Record<string, string>;
    return new ApiError(response.status, code, detail, retryAfter, extra);
  } catch {
    const code = response.status >= 500 ? "internal_error" : "http_error";
    return new ApiError(response.status, code, response.statusText, retryAfter);
  }
}
