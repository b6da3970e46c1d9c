import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { App } from "../App";
import { eventStream, fakeServer, json, signIn } from "../test/fakeServer";

const CONVERSATION = "0b6f7e0e-5a0b-4c1e-9d3c-1f2e3d4c5b6a";
const SOURCE = {
  number: 1, id: "lexicon-time#time-001", doc_id: "lexicon-time", title: "时间词汇", section: "今旦", text: "莆仙话“今天”说“今旦”。",
  score: 0.93, found_by: { headword: { rank: 1, score: 1 } },
  pronunciations: {
    psp: { citation: { text: "ging1 dua4", attested: true, basis: "source" }, connected: { text: "ging1 nua4", attested: true, basis: "source" } },
    buc: { citation: { text: "ging-dua̍ⁿ", attested: true, basis: "source" }, connected: { text: "ging-nua̍ⁿ", attested: false, basis: "rule" } },
    ipa: { citation: { text: "[kiŋ533 tua42]", attested: false, basis: "rule" }, connected: { text: "[kin55 nua42]", attested: true, basis: "source" } },
  },
};
const ENGINES = {
  default: "transformers",
  engines: [
    { name: "transformers", kind: "transformers", label: "Transformers", state: "ready", model: "qwen", device: "cpu", memory_mb: 900, progress: 1, error: null },
    { name: "vllm", kind: "vllm", label: "vLLM", state: "ready", model: "qwen", device: "cuda:0", memory_mb: 9000, progress: 1, error: null },
  ],
};

function server(conversations: unknown[] = []) {
  return fakeServer({
    "GET /api/engines": () => json(ENGINES),
    "GET /api/conversations": () => json({ data: conversations, count: conversations.length }),
    "POST /api/chat/stream": () =>
      eventStream([
        ["sources", { conversation_id: CONVERSATION, message_id: 1, sources: [SOURCE] }],
        ["delta", { text: "莆仙话说“**今旦**”" }],
        ["delta", { text: " [1]。" }],
        ["done", { message_id: 2, conversation_id: CONVERSATION, usage: {}, timings: { retrieval_ms: 29, ttft_ms: 2700, total_ms: 4800 }, engine: "vllm", finish_reason: "stop" }],
      ]),
    "PUT /api/messages/2/feedback": ({ body }) => json({ message_id: 2, ...(body as object), created_at: "", updated_at: "" }),
  });
}

describe("ChatPage", () => {
  beforeEach(() => {
    signIn();
    window.history.pushState({}, "", "/");
  });

  it("streams an answer as Markdown with a citation that opens its passage", async () => {
    const calls = server().calls;
    render(<App />);
    await userEvent.click(await screen.findByRole("button", { name: "莆仙话“今天”怎么说？" }));
    const answer = await screen.findByRole("article", { name: "回答" });
    await waitFor(() => expect(answer).toHaveAttribute("aria-busy", "false"));
    expect(within(answer).getByText("今旦").tagName).toBe("STRONG");
    expect(within(answer).getByLabelText("用时")).toHaveTextContent("检索 29 毫秒 · 首字 2.7 秒 · 总计 4.8 秒 · vllm");
    await waitFor(() => expect(window.location.pathname).toBe(`/c/${CONVERSATION}`));

    expect(within(answer).getByRole("region", { name: "出处" })).toHaveTextContent("ging1 dua4 · ging-dua̍ⁿ · [kiŋ533 tua42]");
    await userEvent.click(within(answer).getByRole("button", { name: "查看出处 1" }));
    const dialog = screen.getByRole("dialog", { name: "出处 [1]" });
    expect(dialog).toHaveTextContent("时间词汇");
    expect(dialog).toHaveTextContent("莆仙话“今天”说“今旦”。");
    expect(dialog).toHaveTextContent("词条匹配");
    const readings = within(dialog).getByRole("table", { name: "读音" });
    expect(within(readings).getByRole("row", { name: /平话字/ })).toHaveTextContent("ging-dua̍ⁿ 有据ging-nua̍ⁿ 推导");
    await userEvent.click(within(dialog).getByRole("button", { name: "关闭" }));
    expect(screen.queryByRole("dialog")).toBeNull();

    expect(calls.find((c) => c.path === "/api/chat/stream")?.body).toEqual({ question: "莆仙话“今天”怎么说？" });
  });

  it("sends the backend the user chose, and remembers the choice", async () => {
    const calls = server().calls;
    render(<App />);
    await userEvent.click(await screen.findByRole("radio", { name: /vLLM/ }));
    await userEvent.type(screen.getByLabelText("你的问题"), "你好{Enter}");
    await waitFor(() => expect(calls.some((c) => c.path === "/api/chat/stream")).toBe(true));
    expect(calls.find((c) => c.path === "/api/chat/stream")?.body).toEqual({ question: "你好", engine: "vllm" });
    expect(localStorage.getItem("puxian.engine.1")).toBe("vllm");
  });

  it("saves thumbs-down feedback with a comment", async () => {
    const calls = server().calls;
    render(<App />);
    await userEvent.type(await screen.findByLabelText("你的问题"), "今天{Enter}");
    const answer = await screen.findByRole("article", { name: "回答" });
    await userEvent.click(await within(answer).findByRole("button", { name: "没有帮助" }));
    await userEvent.type(within(answer).getByLabelText("哪里不对？（可选）"), "读音不对");
    await userEvent.click(within(answer).getByRole("button", { name: "提交反馈" }));
    expect(await within(answer).findByText("已反馈：读音不对")).toBeInTheDocument();
    expect(calls.find((c) => c.method === "PUT")?.body).toEqual({ rating: "down", comment: "读音不对" });
    expect(within(answer).getByRole("button", { name: "没有帮助" })).toHaveAttribute("aria-pressed", "true");
  });

  it("shows the API's error in Chinese and keeps the question", async () => {
    fakeServer({
      "GET /api/engines": () => json(ENGINES),
      "GET /api/conversations": () => json({ data: [], count: 0 }),
      "POST /api/chat/stream": () => json({ detail: "The question is longer than 2000 characters.", code: "question_too_long" }, 422),
    });
    render(<App />);
    await userEvent.type(await screen.findByLabelText("你的问题"), "很长的问题{Enter}");
    expect(await screen.findByRole("alert")).toHaveTextContent("问题太长了，请精简后再问。");
    expect(screen.getByRole("article", { name: "问题" })).toHaveTextContent("很长的问题");
  });

  it("renames and deletes conversations from the list", async () => {
    const item = { id: CONVERSATION, title: "莆仙话的声调", created_at: "", updated_at: "", message_count: 2 };
    const calls = fakeServer({
      "GET /api/engines": () => json(ENGINES),
      "GET /api/conversations": () => json({ data: [item], count: 1 }),
      [`PATCH /api/conversations/${CONVERSATION}`]: ({ body }) => json({ ...item, ...(body as object) }),
      [`DELETE /api/conversations/${CONVERSATION}`]: () => new Response(null, { status: 204 }),
    }).calls;
    render(<App />);
    await userEvent.click(await screen.findByRole("button", { name: "重命名“莆仙话的声调”" }));
    const input = screen.getByLabelText("会话标题");
    await userEvent.clear(input);
    await userEvent.type(input, "声调{Enter}");
    expect(await screen.findByRole("link", { name: "声调" })).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "删除“声调”" }));
    await userEvent.click(within(screen.getByRole("dialog", { name: "删除会话" })).getByRole("button", { name: "删除" }));
    await waitFor(() => expect(screen.queryByRole("link", { name: "声调" })).toBeNull());
    expect(calls.map((c) => `${c.method} ${c.path}`)).toContain(`DELETE /api/conversations/${CONVERSATION}`);
  });
});
