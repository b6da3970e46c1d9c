import type { Source } from "../api/types";
import { pronunciationLine } from "../romanize/PronunciationTable";

/** The passages an answer was written from, each opening its text; lexicon entries show their readings. */
export function SourceList({ sources, onOpen }: { sources: Source[]; onOpen: (source: Source) => void }) {
  if (sources.length === 0) return null;
  return (
    <section className="sources" aria-label="出处">
      <h3 className="sources-heading">出处</h3>
      <ol>
        {sources.map((source) => {
          const reading = pronunciationLine(source.pronunciations);
          return (
            <li key={source.id}>
              <button type="button" className="source-chip" onClick={() => onOpen(source)}>
                <span className="source-number">[{source.number}]</span> {source.title}
                {source.section && source.section !== source.title ? ` · ${source.section}` : ""}
                {reading && (
                  <span className="source-reading" lang="cpx-Latn">
                    {reading}
                  </span>
                )}
              </button>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
