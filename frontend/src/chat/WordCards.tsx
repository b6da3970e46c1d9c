// Word cards: the lexicon entries a question about a word is answered by. They are shown above the
// answer because the card is what the answer states; the model's text only explains it.

import type { Pronunciations, RomanizationSystem, WordCard } from "../api/types";
import { Dialog } from "../components/Dialog";
import { PronunciationFormView, PronunciationTable, SYSTEM_LABELS, SYSTEMS } from "../romanize/PronunciationTable";

const SHORT_NAMES: Record<RomanizationSystem, string> = { psp: "PSP", buc: "BUC", ipa: "IPA" };

/** The readings, a line per system: "PSP ging1 dua4 有据 连读 ging1 nua4 有据" (connected speech only where it differs). */
function Readings({ pronunciations }: { pronunciations: Pronunciations }) {
  const systems = SYSTEMS.filter((system) => pronunciations[system]?.citation?.text);
  if (systems.length === 0) return null;
  return (
    <dl className="word-card-readings">
      {systems.map((system) => {
        const { citation, connected } = pronunciations[system] ?? {};
        return (
          <div key={system}>
            <dt>
              <abbr title={SYSTEM_LABELS[system]}>{SHORT_NAMES[system]}</abbr>
            </dt>
            <dd>
              <span className="nowrap">
                <PronunciationFormView form={citation} />
              </span>
              {connected?.text && connected.text !== citation?.text && (
                <span className="nowrap">
                  <span className="muted">连读</span> <PronunciationFormView form={connected} />
                </span>
              )}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}

/** One lexicon entry; `detailed` shows every reading in a table (in a dialog, where there is room). */
export function WordCardView({ card, detailed = false }: { card: WordCard; detailed?: boolean }) {
  return (
    <article className="word-card" aria-label={`词卡：${card.headword}`}>
      <header className="word-card-header">
        <span className="word-card-headword">
          {card.headword}
          {card.simplified && card.simplified !== card.headword && (
            <span className="word-card-simplified">（{card.simplified}）</span>
          )}
        </span>
        {card.point && (
          <span className="point-badge" title="方言点">
            {card.point}
          </span>
        )}
      </header>
      {card.glosses.length > 0 && <p className="word-card-glosses">{card.glosses.join("；")}</p>}
      {card.english.length > 0 && (
        <p className="word-card-english" lang="en">
          {card.english.join("; ")}
        </p>
      )}
      {detailed ? <PronunciationTable pronunciations={card.pronunciations} /> : <Readings pronunciations={card.pronunciations} />}
      {card.note && <p className="word-card-note">{card.note}</p>}
      {card.source && <p className="word-card-source">来源：{card.source}</p>}
    </article>
  );
}

/** All cards of an answer, in the server's order (already ranked: senses, Putian and Xianyou variants). */
export function WordCards({ cards }: { cards: WordCard[] }) {
  if (cards.length === 0) return null;
  return (
    <section className="word-cards" aria-label="词卡">
      {cards.map((card) => (
        <WordCardView key={card.entry_id} card={card} />
      ))}
    </section>
  );
}

/** The entry of a word in an answer, opened from its chip below the answer. */
export function WordCardDialog({ card, onClose }: { card: WordCard | null; onClose: () => void }) {
  return (
    <Dialog open={card !== null} title={card ? `词卡：${card.headword}` : ""} onClose={onClose} className="word-card-dialog">
      {card && <WordCardView card={card} detailed />}
    </Dialog>
  );
}
