// One conversation's messages: loading a stored one, asking (streamed), stopping, feedback.

import { useCallback, useEffect, useRef, useState } from "react";

import { streamChat, StreamError } from "../api/chatStream";
import { errorMessage } from "../api/errors";
import type { ConversationDetail, Feedback } from "../api/types";
import { useAuth } from "../auth/AuthContext";
import { fromStored, localMessage, type ChatMessage } from "./model";

interface Options {
  conversationId: string | null;
  engine: string | null;
  /** Called with the id of a conversation the first answer created, and after each answer. */
  onStored: (conversationId: string, created: boolean) => void;
}

export function useConversation({ conversationId, engine, onStored }: Options) {
  const { client } = useAuth();
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [loading, setLoading] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const abort = useRef<AbortController | null>(null);
  // The conversation whose messages are on screen: the one a streamed answer just created is not reloaded.
  const shown = useRef<string | null>(null);

  useEffect(() => {
    if (conversationId === shown.current) return;
    abort.current?.abort();
    shown.current = conversationId;
    setLoadError(null);
    if (!conversationId) {
      setMessages([]);
      return;
    }
    const controller = new AbortController();
    setLoading(true);
    client
      .request<ConversationDetail>(`/api/conversations/${conversationId}`, { signal: controller.signal })
      .then((detail) => setMessages(detail.messages.map(fromStored)))
      .catch((caught: unknown) => {
        if (!controller.signal.aborted) {
          setMessages([]);
          setLoadError(errorMessage(caught));
        }
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [client, conversationId]);

  const update = useCallback((key: string, change: (message: ChatMessage) => Partial<ChatMessage>) => {
    setMessages((all) => all.map((message) => (message.key === key ? { ...message, ...change(message) } : message)));
  }, []);

  const ask = useCallback(
    async (question: string) => {
      const asked = localMessage("user", question, "done");
      const answer = localMessage("assistant", "", "waiting");
      const userKey = asked.key;
      const answerKey = answer.key;
      setMessages((all) => [...all, asked, answer]);
      const controller = new AbortController();
      abort.current = controller;
      setBusy(true);
      let target = shown.current;
      try {
        const done = await streamChat(
          client,
          {
            question,
            ...(target ? { conversation_id: target } : {}),
            ...(engine ? { engine } : {}),
          },
          {
            onSources: (event) => {
              update(userKey, () => ({ id: event.message_id }));
              update(answerKey, () => ({ sources: event.sources, status: "streaming" }));
              if (target !== event.conversation_id) {
                const created = target === null;
                target = event.conversation_id;
                shown.current = event.conversation_id;
                onStored(event.conversation_id, created);
              }
            },
            onCards: (cards) => update(answerKey, () => ({ cards })),
            onQueued: (position) => update(answerKey, () => ({ queuePosition: position })),
            onDelta: (text) =>
              update(answerKey, (message) => ({
                content: message.content + text,
                status: "streaming",
                queuePosition: null,
              })),
          },
          controller.signal,
        );
        update(answerKey, () => ({
          id: done.message_id,
          timings: done.timings,
          engine: done.engine,
          terms: done.terms ?? [],
          grounded: done.grounded ?? null,
          fallback: done.fallback ?? "",
          status: "done",
        }));
        if (target) onStored(target, false);
      } catch (caught) {
        if (controller.signal.aborted) {
          update(answerKey, () => ({ status: "stopped" }));
        } else {
          const id = caught instanceof StreamError ? caught.messageId : null;
          update(answerKey, (message) => ({ status: "error", error: errorMessage(caught), id: id ?? message.id }));
        }
        if (target) onStored(target, false);
      } finally {
        abort.current = null;
        setBusy(false);
      }
    },
    [client, engine, onStored, update],
  );

  const stop = useCallback(() => abort.current?.abort(), []);

  const setFeedback = useCallback(
    (key: string, feedback: Feedback | null) => update(key, () => ({ feedback })),
    [update],
  );

  return { messages, loading, loadError, busy, ask, stop, setFeedback };
}
