import { useCallback, useState } from "react";
import { useNavigate, useParams } from "react-router-dom";

import type { Source, WordCard } from "../api/types";
import { Alert } from "../components/Alert";
import { useEngines } from "../engines/EnginesContext";
import { Composer } from "./Composer";
import { ConversationList } from "./ConversationList";
import { MessageList } from "./MessageList";
import { SourceDialog } from "./SourceDialog";
import { SuggestedQuestions } from "./SuggestedQuestions";
import { useConversation } from "./useConversation";
import { useConversations } from "./useConversations";
import { WordCardDialog } from "./WordCards";

export function ChatPage() {
  const { conversationId = null } = useParams();
  const navigate = useNavigate();
  const { choice } = useEngines();
  const conversations = useConversations();
  const [source, setSource] = useState<Source | null>(null);
  const [card, setCard] = useState<WordCard | null>(null);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const { refresh } = conversations;

  const onStored = useCallback(
    (id: string, created: boolean) => {
      if (created) navigate(`/c/${id}`, { replace: false });
      void refresh();
    },
    [navigate, refresh],
  );
  const chat = useConversation({ conversationId, engine: choice, onStored });

  const removeConversation = async (id: string) => {
    await conversations.remove(id);
    if (id === conversationId) navigate("/");
  };

  const empty = chat.messages.length === 0 && !chat.loading;
  return (
    <div className="chat-layout">
      <button
        type="button"
        className="drawer-toggle"
        aria-expanded={drawerOpen}
        aria-controls="chat-sidebar"
        onClick={() => setDrawerOpen((open) => !open)}
      >
        {drawerOpen ? "收起会话列表" : "会话列表"}
      </button>
      <aside id="chat-sidebar" className={`sidebar ${drawerOpen ? "open" : ""}`}>
        <ConversationList
          items={conversations.items}
          activeId={conversationId}
          onNew={() => {
            setDrawerOpen(false);
            navigate("/");
          }}
          onRename={conversations.rename}
          onDelete={removeConversation}
          onError={conversations.setError}
          onNavigate={() => setDrawerOpen(false)}
        />
      </aside>
      <main className="chat-main" aria-label="对话">
        <Alert message={conversations.error} onDismiss={() => conversations.setError(null)} />
        <Alert message={chat.loadError} />
        {chat.loading && (
          <p className="muted" role="status">
            正在载入会话…
          </p>
        )}
        {empty && !chat.loadError ? (
          <SuggestedQuestions onAsk={(question) => void chat.ask(question)} disabled={chat.busy} />
        ) : (
          <MessageList messages={chat.messages} onOpenSource={setSource} onOpenCard={setCard} onFeedback={chat.setFeedback} />
        )}
        <Composer busy={chat.busy} onAsk={(question) => void chat.ask(question)} onStop={chat.stop} />
      </main>
      <SourceDialog source={source} onClose={() => setSource(null)} />
      <WordCardDialog card={card} onClose={() => setCard(null)} />
    </div>
  );
}
