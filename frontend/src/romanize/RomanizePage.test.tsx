import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { App } from "../App";
import { fakeServer, json, signIn } from "../test/fakeServer";

const RESULT = {
  input: "今旦 ging1 dua4",
  source: "psp",
  point: "莆田",
  text: { psp: "今旦 ging1 dua4", buc: "今旦 ging-dua̍ⁿ", ipa: "今旦 [kiŋ533 tua42]" },
  citation: { psp: "今旦 ging1 dua4", buc: "今旦 ging-dua̍ⁿ", ipa: "今旦 [kiŋ533 tua42]" },
  connected: { psp: "今旦 ging1 nua4", buc: "今旦 ging-nua̍ⁿ", ipa: "今旦 [kiŋ533 nua42]" },
  words: [
    {
      input: "ging1 dua4", system: "psp", hanzi: "今旦", written: {}, connected: {}, connected_basis: "word",
      syllables: [
        { input: "ging1", initial: "g", final: "ing", tone: 1, tone_name: "阴平", point: "莆田", psp: "ging1", buc: "ging", buc_candidates: ["ging"], buc_basis: "rule", ipa: "kiŋ533", connected_psp: "ging1", connected_ipa: "kiŋ533", note: null },
        { input: "dua4", initial: "d", final: "ua", tone: 4, tone_name: "阴去", point: "莆田", psp: "dua4", buc: "dua̍ⁿ", buc_candidates: ["dua̍", "dua̍ⁿ"], buc_basis: "word", ipa: "tua42", connected_psp: "nua4", connected_ipa: "nua42", note: null },
      ],
    },
  ],
};

function server() {
  return fakeServer({
    "GET /api/engines": () => json({ default: "transformers", engines: [] }),
    "GET /api/conversations": () => json({ data: [], count: 0 }),
    "POST /api/romanize": ({ body }) =>
      (body as { text: string }).text.includes("xq7")
        ? json({ detail: "'xq7' is not a valid PSP syllable", code: "invalid_syllable", syllable: "xq7", system: "psp" }, 422)
        : json(RESULT),
  });
}

describe("RomanizePage", () => {
  beforeEach(() => {
    signIn();
    window.history.pushState({}, "", "/");
  });

  it("is reached from the header and shows all three systems and the connected form", async () => {
    const { calls } = server();
    render(<App />);
    await userEvent.click(await screen.findByRole("link", { name: "拼音转换" }));
    await userEvent.type(screen.getByLabelText("要转换的文字"), "今旦 ging1 dua4");
    await userEvent.selectOptions(screen.getByLabelText("原文写法"), "psp");
    await userEvent.click(screen.getByRole("button", { name: "转换" }));
    const result = await screen.findByRole("region", { name: "转换结果" });
    const buc = within(result).getByRole("row", { name: "平话字" });
    expect(buc).toHaveTextContent("今旦 ging-dua̍ⁿ");
    expect(buc).toHaveTextContent("今旦 ging-nua̍ⁿ");
    const syllables = within(result).getByRole("table", { name: "逐个音节" });
    expect(within(syllables).getAllByRole("row")[2]).toHaveTextContent("dua̍ⁿ（候选 dua̍、dua̍ⁿ）");
    expect(calls.find((c) => c.path === "/api/romanize")?.body).toEqual({
      text: "今旦 ging1 dua4", from: "psp", point: "putian", to: ["psp", "buc", "ipa"],
    });
  });

  it("names an invalid syllable in Chinese", async () => {
    server();
    window.history.pushState({}, "", "/romanize");
    render(<App />);
    await userEvent.type(await screen.findByLabelText("要转换的文字"), "gua3 xq7");
    await userEvent.click(screen.getByRole("button", { name: "转换" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("“xq7”不是有效的莆仙话拼音音节。");
    expect(screen.queryByRole("region", { name: "转换结果" })).toBeNull();
  });

  it("asks for text before converting", async () => {
    const { calls } = server();
    window.history.pushState({}, "", "/romanize");
    render(<App />);
    await userEvent.click(await screen.findByRole("button", { name: "转换" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("请输入要转换的拼音");
    expect(calls.some((c) => c.path === "/api/romanize")).toBe(false);
  });
});
