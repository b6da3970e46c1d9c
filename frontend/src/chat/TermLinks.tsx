import type { LinkedTerm, WordCard } from "../api/types";

const UNATTESTED = "词库中没有这个词，回答中的这个词未经核实";

/** The Puxian words an answer presents: those in the lexicon open their entry, the others are marked 词库未收. */
export function TermLinks({ terms, onOpen }: { terms: LinkedTerm[]; onOpen: (card: WordCard) => void }) {
  if (terms.length === 0) return null;
  return (
    <section className="terms" aria-label="答案中的莆仙话词">
      <span className="terms-heading" aria-hidden="true">
        答案中的莆仙话词：
      </span>
      <ul>
        {terms.map(({ text, entry }, index) => (
          <li key={`${index}-${text}`}>
            {entry ? (
              <button type="button" className="term-chip" aria-haspopup="dialog" title="查看词卡" onClick={() => onOpen(entry)}>
                {text}
              </button>
            ) : (
              <span className="term-chip unattested" title={UNATTESTED}>
                {text} <span className="tag derived">词库未收</span>
                <span className="visually-hidden">（{UNATTESTED}）</span>
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
