// Word cards for unit tests, shaped as the backend sends them (WordCardPublic).

import type { WordCard } from "../api/types";

/** 箸 (chopsticks), Putian, every reading attested; `overrides` make the other senses and variants. */
export function wordCard(overrides: Partial<WordCard> = {}): WordCard {
  return {
    entry_id: "lexicon-house#house-032",
    doc_id: "lexicon-house",
    headword: "箸",
    simplified: "箸",
    glosses: ["筷子"],
    point: "莆田",
    note: "",
    source: "家居用品（HF,CH,F）",
    match: "gloss",
    pronunciations: {
      psp: { citation: { text: "dy5", attested: true, basis: "source" } },
      buc: { citation: { text: "dṳ̄", attested: true, basis: "source" } },
      ipa: { citation: { text: "[ty21]", attested: false, basis: "rule" } },
    },
    english: [],
    ...overrides,
  };
}

/** 講 (to speak) in Xianyou: traditional headword, two glosses, a connected reading that differs. */
export const XIANYOU_SPEAK = wordCard({
  entry_id: "lexicon-verbs#verb-010",
  doc_id: "lexicon-verbs",
  headword: "講",
  simplified: "讲",
  glosses: ["说", "讲"],
  point: "仙游",
  note: "也说“话”。",
  source: "动词（CH）",
  match: "gloss",
  pronunciations: {
    psp: {
      citation: { text: "gorng3", attested: true, basis: "source" },
      connected: { text: "orng3", attested: false, basis: "rule" },
    },
  },
});
