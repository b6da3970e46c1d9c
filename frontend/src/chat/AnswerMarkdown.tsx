import { memo } from "react";
import ReactMarkdown, { type Components } from "react-markdown";

import { CITE_PREFIX, linkCitations } from "./citations";

interface AnswerMarkdownProps {
  text: string;
  sourceNumbers: ReadonlySet<number>;
  onCite: (number: number) => void;
}

/** The answer as Markdown (raw HTML is not rendered); [n] becomes a button that opens passage n. */
export const AnswerMarkdown = memo(function AnswerMarkdown({ text, sourceNumbers, onCite }: AnswerMarkdownProps) {
  const components: Components = {
    a: ({ href, children }) => {
      if (href?.startsWith(CITE_PREFIX)) {
        const number = Number(href.slice(CITE_PREFIX.length));
        return (
          <button type="button" className="citation" onClick={() => onCite(number)} aria-label={`查看出处 ${number}`}>
            [{number}]
          </button>
        );
      }
      return (
        <a href={href} target="_blank" rel="noreferrer noopener">
          {children}
        </a>
      );
    },
  };
  return (
    <div className="markdown">
      <ReactMarkdown components={components}>{linkCitations(text, sourceNumbers)}</ReactMarkdown>
    </div>
  );
});
