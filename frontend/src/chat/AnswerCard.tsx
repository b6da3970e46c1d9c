import { useMemo } from "react";

import type { Feedback, Source, WordCard } from "../api/types";
import { AnswerMarkdown } from "./AnswerMarkdown";
import { CopyButton } from "./CopyButton";
import { FeedbackControls } from "./FeedbackControls";
import { GroundingNotes } from "./GroundingNotes";
import type { ChatMessage } from "./model";
import { SourceList } from "./SourceList";
import { TermLinks } from "./TermLinks";
import { TimingLine } from "./TimingLine";
import { WordCards } from "./WordCards";

interface AnswerCardProps {
  message: ChatMessage;
  onOpenSource: (source: Source) => void;
  onOpenCard: (card: WordCard) => void;
  onFeedback: (key: string, feedback: Feedback | null) => void;
}

export function AnswerCard({ message, onOpenSource, onOpenCard, onFeedback }: AnswerCardProps) {
  const numbers = useMemo(() => new Set(message.sources.map((source) => source.number)), [message.sources]);
  const bySource = (number: number) => {
    const source = message.sources.find((candidate) => candidate.number === number);
    if (source) onOpenSource(source);
  };
  const streaming = message.status === "waiting" || message.status === "streaming";
  return (
    <article className="message answer" aria-label="回答" aria-busy={streaming}>
      {streaming && !message.content && message.queuePosition !== null ? (
        <p className="muted thinking" role="status">
          排队中：前面还有 {message.queuePosition} 个问题…
        </p>
      ) : (
        message.status === "waiting" && (
          <p className="muted thinking" role="status">
            正在检索资料…
          </p>
        )
      )}
      <WordCards cards={message.cards} />
      {message.content && <AnswerMarkdown text={message.content} sourceNumbers={numbers} onCite={bySource} />}
      {message.status === "streaming" && (
        <span className="cursor" role="status" aria-label="正在生成回答">
          ▍
        </span>
      )}
      <GroundingNotes fallback={message.fallback} grounded={message.grounded} />
      <TermLinks terms={message.terms} onOpen={onOpenCard} />
      {message.status === "stopped" && <p className="muted small-text">已停止生成。</p>}
      {message.error && (
        <p className="alert" role="alert">
          {message.error}
        </p>
      )}
      <SourceList sources={message.sources} onOpen={onOpenSource} />
      {!streaming && (
        <footer className="answer-footer">
          <div className="row">
            {message.content && <CopyButton text={message.content} />}
            {message.id !== null && message.content && (
              <FeedbackControls
                messageId={message.id}
                feedback={message.feedback}
                onSaved={(feedback) => onFeedback(message.key, feedback)}
              />
            )}
          </div>
          <TimingLine timings={message.timings} engine={message.engine} />
        </footer>
      )}
    </article>
  );
}
