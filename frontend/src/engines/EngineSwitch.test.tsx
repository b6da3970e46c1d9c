import { act, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { AuthProvider } from "../auth/AuthContext";
import { fakeServer, json, signIn } from "../test/fakeServer";
import { EnginesProvider } from "./EnginesContext";
import { EngineSwitch } from "./EngineSwitch";

function engine(name: string, label: string, state: string, extra: object = {}) {
  return { name, kind: "transformers", label, state, model: "m", device: "cpu", memory_mb: null, progress: null, error: null, ...extra };
}

function renderSwitch(engines: object | null) {
  signIn();
  const server = fakeServer(engines ? { "GET /api/engines": () => json(engines) } : {});
  render(
    <AuthProvider>
      <EnginesProvider>
        <EngineSwitch />
      </EnginesProvider>
    </AuthProvider>,
  );
  return server;
}

describe("EngineSwitch", () => {
  it("shows each backend with its state and selects the default", async () => {
    renderSwitch({
      default: "transformers",
      engines: [
        engine("transformers", "Transformers", "ready"),
        engine("vllm", "vLLM", "loading", { progress: 0.45, stage: "loading model" }),
        engine("remote", "远程", "failed", { error: "connection refused" }),
      ],
    });
    const group = await screen.findByRole("group", { name: "推理后端" });
    expect(group).toBeInTheDocument();
    expect(screen.getByRole("radio", { name: "Transformers，就绪，默认" })).toBeChecked();
    expect(screen.getByRole("radio", { name: "vLLM，加载中 45%（加载模型）" })).toBeDisabled();
    expect(screen.getByRole("radio", { name: "远程，失败" })).toBeDisabled();
  });

  it("lists a backend that cannot run on this server, disabled, with the reason", async () => {
    const reason = "the LLM (Qwen2.5-Coder-1.5B-Instruct) is not prepared; run `puxian prepare-models --llm qwen2.5-coder-1.5b`";
    renderSwitch({
      default: "transformers",
      engines: [
        engine("transformers", "Qwen 0.5B", "ready"),
        engine("qwen-1.5b", "Qwen 1.5B", "unloaded", { available: false, unavailable_reason: reason }),
        engine("vllm", "vLLM", "unloaded", { kind: "vllm", available: false, unavailable_reason: "no NVIDIA GPU on this machine" }),
      ],
    });
    const stronger = await screen.findByRole("radio", { name: `Qwen 1.5B，不可用：${reason}` });
    expect(stronger).toBeDisabled();
    expect(stronger.closest("label")).toHaveAttribute("title", expect.stringContaining(`原因：${reason}`));
    expect(screen.getByRole("radio", { name: "vLLM，不可用：no NVIDIA GPU on this machine" })).toBeDisabled();
    await userEvent.click(stronger);
    expect(screen.getByRole("radio", { name: /^Qwen 0\.5B/ })).toBeChecked();
    expect(localStorage.getItem("puxian.engine.1")).toBeNull();
  });

  it("remembers a chosen ready backend, and choosing the default again follows the default", async () => {
    renderSwitch({ default: "transformers", engines: [engine("transformers", "Transformers", "ready"), engine("int8", "Int8", "ready")] });
    await userEvent.click(await screen.findByRole("radio", { name: /^Int8/ }));
    expect(localStorage.getItem("puxian.engine.1")).toBe("int8");
    expect(screen.getByRole("radio", { name: /^Int8/ })).toBeChecked();
    await userEvent.click(screen.getByRole("radio", { name: /^Transformers/ }));
    expect(localStorage.getItem("puxian.engine.1")).toBeNull();
  });

  it("is hidden when the server has no engine routes", async () => {
    const server = renderSwitch(null);
    await waitFor(() => expect(server.calls.map((call) => call.path)).toEqual(["/api/engines"]));
    await act(() => Promise.resolve());
    expect(screen.queryByRole("group", { name: "推理后端" })).toBeNull();
  });
});
