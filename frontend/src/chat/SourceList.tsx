import type { Source } from "../api/types";

/** The passages an answer was written from, each opening its text. */
export function SourceList({ sources, onOpen }: { sources: Source[]; onOpen: (source: Source) => void }) {
  if (sources.length === 0) return null;
  return (
    <section className="sources" aria-label="出处">
      <h3 className="sources-heading">出处</h3>
      <ol>
        {sources.map((source) => (
          <li key={source.id}>
            <button type="button" className="source-chip" onClick={() => onOpen(source)}>
              <span className="source-number">[{source.number}]</span> {source.title}
              {source.section && source.section !== source.title ? ` · ${source.section}` : ""}
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}
