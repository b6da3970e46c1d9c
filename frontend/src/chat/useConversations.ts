import { useCallback, useEffect, useState } from "react";

import { errorMessage } from "../api/errors";
import type { ConversationSummary, Page } from "../api/types";
import { useAuth } from "../auth/AuthContext";

const PAGE = 50;

/** The user's conversations, most recent first, with rename and delete. */
export function useConversations() {
  const { client } = useAuth();
  const [items, setItems] = useState<ConversationSummary[]>([]);
  const [count, setCount] = useState(0);
  const [error, setError] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    try {
      const page = await client.request<Page<ConversationSummary>>(`/api/conversations?limit=${PAGE}`);
      setItems(page.data);
      setCount(page.count);
      setError(null);
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }, [client]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const rename = useCallback(
    async (id: string, title: string) => {
      const updated = await client.request<ConversationSummary>(`/api/conversations/${id}`, {
        method: "PATCH",
        body: { title },
      });
      setItems((all) => all.map((item) => (item.id === id ? updated : item)));
    },
    [client],
  );

  const remove = useCallback(
    async (id: string) => {
      await client.request<unknown>(`/api/conversations/${id}`, { method: "DELETE" });
      setItems((all) => all.filter((item) => item.id !== id));
      setCount((n) => Math.max(0, n - 1));
    },
    [client],
  );

  return { items, count, error, setError, refresh, rename, remove };
}
