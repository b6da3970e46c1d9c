// Thumbs up/down on an answer, with an optional comment (PUT /api/messages/{id}/feedback).

import { useState, type FormEvent } from "react";

import { useAuth } from "../auth/AuthContext";
import { errorMessage } from "../api/errors";
import type { Feedback, Rating } from "../api/types";
import { Icon } from "../components/Icon";

interface FeedbackControlsProps {
  messageId: number;
  feedback: Feedback | null;
  onSaved: (feedback: Feedback | null) => void;
}

export function FeedbackControls({ messageId, feedback, onSaved }: FeedbackControlsProps) {
  const { client } = useAuth();
  const [draft, setDraft] = useState<Rating | null>(null);
  const [comment, setComment] = useState(feedback?.comment ?? "");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function save(rating: Rating, text: string) {
    setBusy(true);
    setError(null);
    try {
      const saved = await client.request<Feedback>(`/api/messages/${messageId}/feedback`, {
        method: "PUT",
        body: { rating, comment: text },
      });
      onSaved(saved);
      setDraft(null);
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    setBusy(true);
    setError(null);
    try {
      await client.request<unknown>(`/api/messages/${messageId}/feedback`, { method: "DELETE" });
      onSaved(null);
      setComment("");
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  }

  function pick(rating: Rating) {
    if (feedback?.rating === rating && draft === null) {
      void remove();
      return;
    }
    setDraft(rating);
    setComment(feedback?.rating === rating ? feedback.comment : "");
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (draft) void save(draft, comment.trim());
  }

  const active = draft ?? feedback?.rating ?? null;
  return (
    <div className="feedback">
      <button
        type="button"
        className="small"
        aria-pressed={active === "up"}
        aria-label="有帮助"
        title="有帮助"
        disabled={busy}
        onClick={() => pick("up")}
      >
        <Icon name="thumbUp" />
      </button>
      <button
        type="button"
        className="small"
        aria-pressed={active === "down"}
        aria-label="没有帮助"
        title="没有帮助"
        disabled={busy}
        onClick={() => pick("down")}
      >
        <Icon name="thumbDown" />
      </button>
      {feedback && draft === null && <span className="muted small-text">已反馈{feedback.comment ? `：${feedback.comment}` : ""}</span>}
      {draft && (
        <form className="feedback-form" onSubmit={submit}>
          <label htmlFor={`feedback-${messageId}`}>{draft === "up" ? "哪里有帮助？（可选）" : "哪里不对？（可选）"}</label>
          <textarea
            id={`feedback-${messageId}`}
            value={comment}
            maxLength={2000}
            rows={2}
            onChange={(event) => setComment(event.target.value)}
          />
          <div className="row">
            <button type="submit" className="primary small" disabled={busy}>
              提交反馈
            </button>
            <button type="button" className="small" onClick={() => setDraft(null)}>
              取消
            </button>
          </div>
        </form>
      )}
      {error && (
        <p className="alert" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
