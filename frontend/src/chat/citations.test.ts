import { citedNumbers, linkCitations } from "./citations";

const NUMBERS = new Set([1, 2, 3]);

describe("linkCitations", () => {
  it("links the citations whose passages exist", () => {
    expect(linkCitations("说“今旦” [2]。", NUMBERS)).toBe("说“今旦” [2](#cite-2)。");
    expect(linkCitations("见 [1, 3] 和 【2】", NUMBERS)).toBe("见 [1](#cite-1)[3](#cite-3) 和 [2](#cite-2)");
  });

  it("leaves other brackets alone", () => {
    expect(linkCitations("没有的 [7]，链接 [1](http://x)，文字 [注]", NUMBERS)).toBe("没有的 [7]，链接 [1](http://x)，文字 [注]");
  });
});

describe("citedNumbers", () => {
  it("lists each cited passage once, in order", () => {
    expect(citedNumbers("先 [3] 后 [1][3]，再 [9]", NUMBERS)).toEqual([3, 1]);
  });
});
