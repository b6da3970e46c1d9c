import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { App } from "../App";
import { eventStream, fakeServer, json, openEventStream, signIn } from "../test/fakeServer";
import { wordCard, XIANYOU_SPEAK } from "../test/wordCards";

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

  it("shows the word cards as soon as they arrive, before any of the answer's text", async () => {
    const stream = openEventStream();
    fakeServer({
      "GET /api/engines": () => json(ENGINES),
      "GET /api/conversations": () => json({ data: [], count: 0 }),
      "POST /api/chat/stream": () => stream.response,
    });
    render(<App />);
    await userEvent.type(await screen.findByLabelText("你的问题"), "筷子用莆仙话怎么说？{Enter}");
    const answer = await screen.findByRole("article", { name: "回答" });
    stream.send("sources", { conversation_id: CONVERSATION, message_id: 1, sources: [SOURCE] });
    stream.send("cards", { cards: [wordCard(), wordCard({ entry_id: "lexicon-xianyou#x-7", point: "仙游" })] });

    const cards = await within(answer).findAllByRole("article", { name: "词卡：箸" });
    expect(cards.map((card) => card.querySelector(".point-badge")?.textContent)).toEqual(["莆田", "仙游"]);
    expect(answer).toHaveAttribute("aria-busy", "true");
    expect(answer.querySelector(".markdown")).toBeNull();
    expect(within(answer).queryByRole("note")).toBeNull();

    stream.send("delta", { text: "莆仙话说“箸” [1]。" });
    stream.send("done", {
      message_id: 2, conversation_id: CONVERSATION, usage: {}, timings: { total_ms: 900 }, engine: "transformers", finish_reason: "stop",
      grounded: true, fallback: "card", terms: [{ text: "箸", entry: wordCard() }],
    });
    stream.close();
    await waitFor(() => expect(answer).toHaveAttribute("aria-busy", "false"));
    expect(within(answer).getByRole("region", { name: "词卡" })).toBe(cards[0]?.parentElement);
    expect(within(answer).getByRole("note")).toHaveTextContent("模型的回答未通过核对，已改为词库词卡的内容。");
    expect(within(answer).getByRole("region", { name: "答案中的莆仙话词" })).toHaveTextContent("箸");
  });

  it("restores a stored answer's cards, terms and fallback, and opens a term's entry", async () => {
    const speak = { text: "講", entry: XIANYOU_SPEAK };
    fakeServer({
      "GET /api/engines": () => json(ENGINES),
      "GET /api/conversations": () => json({ data: [], count: 0 }),
      [`GET /api/conversations/${CONVERSATION}`]: () =>
        json({
          id: CONVERSATION, title: "说", created_at: "", updated_at: "", message_count: 2,
          messages: [
            { id: 1, role: "user", content: "“说”用莆仙话怎么说？", created_at: "", sources: [], timings: {}, usage: {}, engine: "", finish_reason: "", feedback: null },
            {
              id: 2, role: "assistant", content: "莆仙话说“講”。", created_at: "", sources: [], timings: { total_ms: 900 }, usage: {},
              engine: "transformers", finish_reason: "stop", feedback: null,
              cards: [XIANYOU_SPEAK], terms: [speak, { text: "话", entry: null }], grounded: true, fallback: "truncated",
            },
          ],
        }),
    });
    window.history.pushState({}, "", `/c/${CONVERSATION}`);
    render(<App />);
    const answer = await screen.findByRole("article", { name: "回答" });
    expect(await within(answer).findByRole("article", { name: "词卡：講" })).toHaveTextContent("講（讲）仙游说；讲");
    expect(within(answer).getByRole("note")).toHaveTextContent("回答在一处未能核实的内容前停止。");
    const terms = within(answer).getByRole("region", { name: "答案中的莆仙话词" });
    expect(within(terms).getByText("话").closest(".term-chip")).toHaveTextContent("词库未收");
    expect(within(terms).queryByRole("button", { name: /话/ })).toBeNull();

    await userEvent.click(within(terms).getByRole("button", { name: "講" }));
    const dialog = screen.getByRole("dialog", { name: "词卡：講" });
    expect(within(dialog).getByRole("article", { name: "词卡：講" })).toHaveTextContent("说；讲");
    expect(within(within(dialog).getByRole("table", { name: "读音" })).getByRole("row", { name: /莆仙话拼音/ })).toHaveTextContent(
      "gorng3 有据orng3 推导",
    );
    await userEvent.click(within(dialog).getByRole("button", { name: "关闭" }));
    expect(screen.queryByRole("dialog")).toBeNull();
  });
});
