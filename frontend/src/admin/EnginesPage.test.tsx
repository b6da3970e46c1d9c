import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { AuthProvider } from "../auth/AuthContext";
import { EnginesProvider } from "../engines/EnginesContext";
import { fakeServer, json, signIn } from "../test/fakeServer";
import { EnginesPage } from "./EnginesPage";

const REASON = "no NVIDIA GPU on this machine; vLLM is not installed";

function engine(name: string, label: string, extra: object = {}) {
  return {
    name, kind: "transformers", label, state: "unloaded", available: true, unavailable_reason: null,
    model: "m", device: "cpu", memory_mb: null, progress: null, error: null, measurements: null, ...extra,
  };  // prettier-ignore
}

const ENGINES = {
  default: "transformers",
  engines: [
    engine("transformers", "Qwen 0.5B", {
      state: "ready",
      measurements: {
        measured_on: "2026-12-05", machine: "2-core VM, 1 torch thread", accuracy: 0.62, grounded_rate: 0.9,
        refusal_recall: 0.75, false_refusal_rate: 0.05, ttft_p50_seconds: 2.04, answer_p50_seconds: 5.9,
        tokens_per_second: 6.6, load_seconds: 4.1, memory_mb: 2125, source: "docs/benchmarks.md",
      },  // prettier-ignore
    }),
    engine("qwen-1.5b-int8", "Qwen 1.5B int8", {
      measurements: { measured_on: "2026-12-05", machine: "2-core VM", tokens_per_second: 3.2, load_seconds: 13.3 },
    }),
    engine("vllm", "vLLM", { kind: "vllm", available: false, unavailable_reason: REASON }),
  ],
};

function renderPage() {
  signIn({ id: 1, username: "root", role: "admin" });
  const server = fakeServer({
    "GET /api/engines": () => json(ENGINES),
    "PUT /api/admin/engines/default": () => json({ detail: "x", code: "engine_unavailable" }, 409),
  });
  render(
    <AuthProvider>
      <EnginesProvider>
        <EnginesPage />
      </EnginesProvider>
    </AuthProvider>,
  );
  return server;
}

describe("EnginesPage", () => {
  it("shows each engine's measured speed and accuracy, or that it was not measured", async () => {
    renderPage();
    const small = await screen.findByRole("listitem", { name: "Qwen 0.5B" });
    const figures = within(small).getByRole("region", { name: "实测数据" });
    const value = (term: string) => within(figures).getByText(term).nextElementSibling?.textContent;
    expect(value("准确率")).toBe("62%");
    expect(value("有据率")).toBe("90%");
    expect(value("拒答召回")).toBe("75%");
    expect(value("误拒率")).toBe("5%");
    expect(value("首字 p50")).toBe("2.0 s");
    expect(value("回答 p50")).toBe("5.9 s");
    expect(value("生成速度")).toBe("6.6 token/s");
    expect(value("加载")).toBe("4.1 s");
    expect(value("内存")).toBe("2.1 GB");
    expect(within(figures).getByText("测于 2026-12-05，2-core VM, 1 torch thread")).toBeInTheDocument();

    const partly = within(screen.getByRole("listitem", { name: "Qwen 1.5B int8" })).getByRole("region", { name: "实测数据" });
    expect(within(partly).getByText("准确率").nextElementSibling?.textContent).toBe("—");
    expect(within(partly).getByText("加载").nextElementSibling?.textContent).toBe("13 s");

    expect(within(screen.getByRole("listitem", { name: "vLLM" })).getByText("实测：未测量")).toBeInTheDocument();
  });

  it("lists an engine that cannot run here with the reason, and it cannot be made the default", async () => {
    const server = renderPage();
    const card = await screen.findByRole("listitem", { name: "vLLM" });
    expect(within(card).getByText("不可用", { selector: ".state" })).toBeInTheDocument();
    expect(within(card).getByText(REASON)).toBeInTheDocument();
    const button = within(card).getByRole("button", { name: "不可用" });
    expect(button).toBeDisabled();
    await userEvent.click(button);
    expect(server.calls.filter((call) => call.method === "PUT")).toEqual([]);
    expect(within(screen.getByRole("listitem", { name: "Qwen 1.5B int8" })).getByRole("button", { name: "设为默认" })).toBeEnabled();
  });
});
