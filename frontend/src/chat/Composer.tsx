import { useState, type FormEvent, type KeyboardEvent } from "react";

interface ComposerProps {
  busy: boolean;
  onAsk: (question: string) => void;
  onStop: () => void;
  maxChars?: number;
}

/** The question box: Enter asks, Shift+Enter starts a new line (not while an input method is composing). */
export function Composer({ busy, onAsk, onStop, maxChars = 2000 }: ComposerProps) {
  const [text, setText] = useState("");
  const question = text.trim();

  function submit(event?: FormEvent) {
    event?.preventDefault();
    if (!question || busy) return;
    onAsk(question);
    setText("");
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      submit();
    }
  }

  return (
    <form className="composer" onSubmit={submit}>
      <label htmlFor="question" className="visually-hidden">
        你的问题
      </label>
      <textarea
        id="question"
        value={text}
        rows={2}
        maxLength={maxChars}
        placeholder="用中文提问，例如：莆仙话“今天”怎么说？"
        aria-describedby="question-hint"
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <span id="question-hint" className="visually-hidden">
        Enter 发送，Shift+Enter 换行
      </span>
      {busy ? (
        <button type="button" className="danger" onClick={onStop}>
          停止
        </button>
      ) : (
        <button type="submit" className="primary" disabled={!question}>
          发送
        </button>
      )}
    </form>
  );
}
