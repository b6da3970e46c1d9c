// Turning the answer's [n] citations into links that the Markdown renderer shows as buttons.

const CITATION = /[[【]\s*(\d{1,2}(?:\s*[,，、]\s*\d{1,2})*)\s*[\]】](?!\()/g;
export const CITE_PREFIX = "#cite-";

/** The answer with each [n] (or [1, 2], 【1】) whose passage exists as a `[n](#cite-n)` link. */
export function linkCitations(answer: string, numbers: ReadonlySet<number>): string {
  return answer.replace(CITATION, (whole, group: string) => {
    const cited = group.split(/\s*[,，、]\s*/).map(Number);
    if (!cited.every((n) => numbers.has(n))) return whole;
    return cited.map((n) => `[${n}](${CITE_PREFIX}${n})`).join("");
  });
}

/** The passage numbers an answer cites, in the order first cited. */
export function citedNumbers(answer: string, numbers: ReadonlySet<number>): number[] {
  const found: number[] = [];
  for (const match of answer.matchAll(CITATION)) {
    for (const n of (match[1] ?? "").split(/\s*[,，、]\s*/).map(Number)) {
      if (numbers.has(n) && !found.includes(n)) found.push(n);
    }
  }
  return found;
}
