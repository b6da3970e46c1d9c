import { fireEvent, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { Composer } from "./Composer";

describe("Composer", () => {
  it("asks on Enter and clears the box; Shift+Enter starts a new line", async () => {
    const onAsk = vi.fn();
    render(<Composer busy={false} onAsk={onAsk} onStop={() => undefined} />);
    const box = screen.getByLabelText("你的问题");
    await userEvent.type(box, "第一行{Shift>}{Enter}{/Shift}第二行");
    expect(onAsk).not.toHaveBeenCalled();
    await userEvent.type(box, "{Enter}");
    expect(onAsk).toHaveBeenCalledWith("第一行\n第二行");
    expect(box).toHaveValue("");
  });

  it("does not ask while an input method is composing", () => {
    const onAsk = vi.fn();
    render(<Composer busy={false} onAsk={onAsk} onStop={() => undefined} />);
    const box = screen.getByLabelText("你的问题");
    fireEvent.change(box, { target: { value: "jintian" } });
    fireEvent.keyDown(box, { key: "Enter", isComposing: true, keyCode: 229 });
    expect(onAsk).not.toHaveBeenCalled();
  });

  it("offers Stop instead of Send while an answer is written", async () => {
    const onStop = vi.fn();
    render(<Composer busy onAsk={() => undefined} onStop={onStop} />);
    expect(screen.queryByRole("button", { name: "发送" })).toBeNull();
    await userEvent.click(screen.getByRole("button", { name: "停止" }));
    expect(onStop).toHaveBeenCalled();
  });
});
