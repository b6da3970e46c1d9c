import { useEffect, useRef } from "react";

import type { Feedback, Source, WordCard } from "../api/types";
import { AnswerCard } from "./AnswerCard";
import type { ChatMessage } from "./model";

interface MessageListProps {
  messages: ChatMessage[];
  onOpenSource: (source: Source) => void;
  onOpenCard: (card: WordCard) => void;
  onFeedback: (key: string, feedback: Feedback | null) => void;
}

export function MessageList({ messages, onOpenSource, onOpenCard, onFeedback }: MessageListProps) {
  const end = useRef<HTMLDivElement>(null);
  const last = messages[messages.length - 1];
  useEffect(() => {
    end.current?.scrollIntoView?.({ block: "end" });
  }, [messages.length, last?.content.length]);
  return (
    <div className="messages" role="log" aria-label="对话内容" aria-live="polite">
      {messages.map((message) =>
        message.role === "user" ? (
          <article key={message.key} className="message question" aria-label="问题">
            <p>{message.content}</p>
          </article>
        ) : (
          <AnswerCard key={message.key} message={message} onOpenSource={onOpenSource} onOpenCard={onOpenCard} onFeedback={onFeedback} />
        ),
      )}
      <div ref={end} />
    </div>
  );
}
