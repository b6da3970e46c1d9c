import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { vi } from "vitest";

import type { Fallback } from "../api/types";
import { AuthProvider } from "../auth/AuthContext";
import { wordCard, XIANYOU_SPEAK } from "../test/wordCards";
import { AnswerCard } from "./AnswerCard";
import type { ChatMessage } from "./model";

function reply(change: Partial<ChatMessage> = {}): ChatMessage {
  return {
    key: "m-2",
    id: 2,
    role: "assistant",
    content: "莆仙话说“箸”。",
    sources: [],
    cards: [],
    terms: [],
    grounded: true,
    fallback: "",
    timings: null,
    engine: "",
    feedback: null,
    status: "done",
    error: null,
    queuePosition: null,
    ...change,
  };
}

function show(message: ChatMessage) {
  const onOpenCard = vi.fn();
  render(
    <AuthProvider>
      <AnswerCard message={message} onOpenSource={vi.fn()} onOpenCard={onOpenCard} onFeedback={vi.fn()} />
    </AuthProvider>,
  );
  return { onOpenCard, answer: screen.getByRole("article", { name: "回答" }) };
}

/** A card's readings, a line per system. */
const readings = (card: HTMLElement) => Array.from(card.querySelectorAll(".word-card-readings > div"), (line) => line.textContent);

const follows = (first: Element, second: Element) => Boolean(first.compareDocumentPosition(second) & Node.DOCUMENT_POSITION_FOLLOWING);

describe("AnswerCard word cards", () => {
  it("shows every card above the answer text, in order, with headword, glosses, point and readings", () => {
    const { answer } = show(reply({ cards: [wordCard(), XIANYOU_SPEAK] }));
    const region = within(answer).getByRole("region", { name: "词卡" });
    const cards = within(region).getAllByRole("article");
    expect(cards.map((card) => card.getAttribute("aria-label"))).toEqual(["词卡：箸", "词卡：講"]);
    expect(follows(region, within(answer).getByText("莆仙话说“箸”。"))).toBe(true);

    const [chopsticks, speak] = cards as [HTMLElement, HTMLElement]; // two, as the labels above show
    expect(chopsticks).toHaveTextContent(/^箸莆田筷子/);
    expect(chopsticks).not.toHaveTextContent("（箸）"); // simplified only where it differs
    expect(readings(chopsticks)).toEqual(["PSPdy5 有据", "BUCdṳ̄ 有据", "IPA[ty21] 推导"]);
    expect(within(chopsticks).getByTitle("平话字")).toHaveTextContent("BUC");
    expect(chopsticks).toHaveTextContent("来源：家居用品（HF,CH,F）");
    expect(within(chopsticks).getByText("莆田")).toHaveClass("point-badge");
    expect(within(chopsticks).getByText("箸", { selector: ".word-card-headword" })).toBeInTheDocument();

    expect(within(speak).getByText("（讲）")).toBeInTheDocument();
    expect(within(speak).getByText("仙游")).toHaveClass("point-badge");
    expect(speak).toHaveTextContent("说；讲");
    expect(readings(speak)).toEqual(["PSPgorng3 有据连读 orng3 推导"]);
    expect(speak).toHaveTextContent("也说“话”。");
  });

  it("shows a card's English only when it has some (questions asked in English)", () => {
    const { answer } = show(reply({ cards: [wordCard({ english: ["chopsticks"], match: "translation" })] }));
    expect(within(answer).getByText("chopsticks")).toHaveAttribute("lang", "en");
  });

  it("says its place in the queue until the first text arrives", () => {
    const { answer } = show(reply({ content: "", status: "streaming", queuePosition: 3 }));
    expect(within(answer).getByText(/排队中：前面还有 3 个问题/)).toHaveAttribute("role", "status");
  });

  it("says nothing of a queue once text has come", () => {
    const { answer } = show(reply({ status: "streaming", queuePosition: null }));
    expect(within(answer).queryByText(/排队中/)).toBeNull();
  });

  it("shows no card region for an answer without cards", () => {
    const { answer } = show(reply());
    expect(within(answer).queryByRole("region", { name: "词卡" })).toBeNull();
  });
});

describe("AnswerCard terms", () => {
  it("opens a term's entry from its chip; a term the lexicon lacks is marked and not a button", async () => {
    const entry = wordCard();
    const { answer, onOpenCard } = show(reply({ terms: [{ text: "箸", entry }, { text: "食糜", entry: null }] }));
    const row = within(answer).getByRole("region", { name: "答案中的莆仙话词" });
    expect(row).toHaveTextContent(/^答案中的莆仙话词：/);
    expect(follows(within(answer).getByText("莆仙话说“箸”。"), row)).toBe(true);

    await userEvent.click(within(row).getByRole("button", { name: "箸" }));
    expect(onOpenCard).toHaveBeenCalledWith(entry);

    expect(within(row).getAllByRole("button")).toHaveLength(1);
    const unknown = within(row).getByText("食糜").closest(".term-chip");
    expect(unknown?.tagName).toBe("SPAN");
    expect(unknown).toHaveTextContent("词库未收");
    expect(unknown).toHaveAttribute("title", "词库中没有这个词，回答中的这个词未经核实");
  });

  it("shows no term row when the answer presents no Puxian word", () => {
    const { answer } = show(reply());
    expect(within(answer).queryByRole("region", { name: "答案中的莆仙话词" })).toBeNull();
    expect(within(answer).queryByText(/答案中的莆仙话词/)).toBeNull();
  });
});

describe("AnswerCard grounding notes", () => {
  it.each<[Fallback, string]>([
    ["card", "模型的回答未通过核对，已改为词库词卡的内容。"],
    ["extractive", "模型的回答未通过核对，已改为资料原文摘录。"],
    ["truncated", "回答在一处未能核实的内容前停止。"],
    ["regenerated", "已按更严格的要求重新生成。"],
  ])("notes the %s fallback under the answer", (fallback, text) => {
    const { answer } = show(reply({ fallback }));
    const note = within(answer).getByRole("note");
    expect(note).toHaveTextContent(text);
    expect(follows(within(answer).getByText("莆仙话说“箸”。"), note)).toBe(true);
    expect(within(answer).queryByRole("alert")).toBeNull();
  });

  it.each([true, null])("adds nothing to an answer that passed, or was not checked (grounded %s)", (grounded) => {
    const { answer } = show(reply({ fallback: "", grounded }));
    expect(within(answer).queryByRole("note")).toBeNull();
  });

  it("warns, quietly, when the answer failed its check", () => {
    const { answer } = show(reply({ grounded: false }));
    expect(within(answer).getByRole("note")).toHaveTextContent("此回答含有资料中找不到的内容，请核对来源。");
    expect(within(answer).queryByRole("alert")).toBeNull();
  });
});

