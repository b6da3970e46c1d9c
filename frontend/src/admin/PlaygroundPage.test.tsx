import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { App } from "../App";
import { fakeServer, json, signIn, type Handler } from "../test/fakeServer";

function engine(name: string, label: string, state: string) {
  return { name, kind: "transformers", label, state, model: "m", device: "cpu", memory_mb: null, progress: null, error: null };
}

const ENGINES = {
  default: "transformers",
  engines: [
    engine("transformers", "Qwen 0.5B", "ready"),
    engine("vllm", "vLLM", "loading"),
    engine("int8", "Qwen 0.5B int8", "ready"),
  ],
};

function result(engineName: string, text: string) {
  return {
    engine: engineName,
    text,
    usage: { prompt_tokens: 12, completion_tokens: 8 },
    timings: { ttft_ms: 120, total_ms: 1500, tokens_per_s: 5.333 },
    finish_reason: "length",
  };
}

function server(generate: Handler) {
  return fakeServer({
    "GET /api/engines": () => json(ENGINES),
    "GET /api/conversations": () => json({ data: [], count: 0 }),
    "POST /api/admin/generate": generate,
  });
}

describe("PlaygroundPage", () => {
  beforeEach(() => {
    signIn({ id: 1, username: "root", role: "admin" });
    window.history.pushState({}, "", "/admin/engines");
  });

  it("is linked in the admin navigation and lists the engines, the unready ones disabled", async () => {
    server(() => json(result("transformers", "")));
    render(<App />);
    await userEvent.click(await screen.findByRole("link", { name: "提示词试验场" }));
    const select = await screen.findByLabelText("使用的后端");
    expect(select).toHaveValue("transformers");
    expect(within(select).getByRole("option", { name: "Qwen 0.5B（就绪，默认）" })).toBeEnabled();
    expect(within(select).getByRole("option", { name: "vLLM（加载中）" })).toBeDisabled();
    expect(within(select).getByRole("option", { name: "Qwen 0.5B int8（就绪）" })).toBeEnabled();
  });

  it("sends chat messages with the sampling values and shows the text and its figures", async () => {
    let release: () => void = () => {};
    const answered = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { calls } = server(async () => {
      await answered;
      return json(result("int8", "第一行\n    缩进的第二行"));
    });
    window.history.pushState({}, "", "/admin/playground");
    render(<App />);
    await userEvent.selectOptions(await screen.findByLabelText("使用的后端"), "int8");
    await userEvent.type(screen.getByLabelText("系统消息（可选）"), "你是助手。");
    await userEvent.type(screen.getByLabelText("用户消息"), "介绍莆田");
    await userEvent.clear(screen.getByLabelText("最大生成长度（词元）"));
    await userEvent.type(screen.getByLabelText("最大生成长度（词元）"), "8");
    await userEvent.click(screen.getByRole("button", { name: "生成" }));

    expect(await screen.findByRole("button", { name: "生成中…" })).toBeDisabled();
    release();
    const panel = await screen.findByRole("region", { name: "结果：Qwen 0.5B int8" });
    expect(await within(panel).findByLabelText("生成的文本")).toHaveTextContent("第一行 缩进的第二行", { normalizeWhitespace: true });
    expect(within(panel).getByLabelText("生成的文本").textContent).toBe("第一行\n    缩进的第二行");
    expect(panel).toHaveTextContent("提示 12 · 生成 8");
    expect(panel).toHaveTextContent("首字延迟120 毫秒");
    expect(panel).toHaveTextContent("总耗时1.5 秒");
    expect(panel).toHaveTextContent("5.3 词元/秒");
    expect(panel).toHaveTextContent("达到最大生成长度");
    expect(screen.getByRole("button", { name: "生成" })).toBeEnabled();
    expect(calls.find((call) => call.path === "/api/admin/generate")?.body).toEqual({
      engine: "int8",
      messages: [
        { role: "system", content: "你是助手。" },
        { role: "user", content: "介绍莆田" },
      ],
      max_tokens: 8,
      temperature: 0,
      top_p: 0.9,
    });
  });

  it("sends a raw prompt as is, and compares two engines one after the other", async () => {
    const { calls } = server(({ body }) => {
      const name = (body as { engine: string }).engine;
      return json(result(name, `${name} 的续写`));
    });
    window.history.pushState({}, "", "/admin/playground");
    render(<App />);
    await userEvent.click(await screen.findByRole("button", { name: "原始提示词" }));
    await userEvent.type(screen.getByLabelText("提示词"), "莆田的");
    await userEvent.click(screen.getByLabelText(/对比两个后端/));
    expect(screen.getByLabelText("对比的后端")).toHaveValue("int8");
    await userEvent.click(screen.getByRole("button", { name: "生成" }));

    expect(await screen.findByText("int8 的续写")).toBeInTheDocument();
    expect(screen.getByRole("region", { name: "结果：Qwen 0.5B" })).toHaveTextContent("transformers 的续写");
    const sent = calls.filter((call) => call.path === "/api/admin/generate").map((call) => call.body);
    expect(sent).toEqual([
      { engine: "transformers", prompt: "莆田的", max_tokens: 256, temperature: 0, top_p: 0.9 },
      { engine: "int8", prompt: "莆田的", max_tokens: 256, temperature: 0, top_p: 0.9 },
    ]);
  });

  it("shows errors in Chinese: an empty prompt, and the server's", async () => {
    const { calls } = server(() =>
      json({ detail: "The engine 'transformers' is loading; choose one of the ready engines.", code: "engine_not_ready" }, 409),
    );
    window.history.pushState({}, "", "/admin/playground");
    render(<App />);
    await userEvent.click(await screen.findByRole("button", { name: "生成" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("请输入用户消息。");
    expect(calls.some((call) => call.path === "/api/admin/generate")).toBe(false);

    await userEvent.type(screen.getByLabelText("用户消息"), "你好");
    await userEvent.click(screen.getByRole("button", { name: "生成" }));
    const panel = await screen.findByRole("region", { name: "结果：Qwen 0.5B" });
    expect(await within(panel).findByRole("alert")).toHaveTextContent("所选推理后端还没有就绪");
    expect(panel).toHaveTextContent("失败");
    expect(within(panel).queryByLabelText("生成的文本")).toBeNull();
  });
});
