import { useState, type FormEvent } from "react";
import { Link } from "react-router-dom";

import { errorMessage } from "../api/errors";
import type { ConversationSummary } from "../api/types";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { Icon } from "../components/Icon";

interface ConversationListProps {
  items: ConversationSummary[];
  activeId: string | null;
  onNew: () => void;
  onRename: (id: string, title: string) => Promise<void>;
  onDelete: (id: string) => Promise<void>;
  onError: (message: string) => void;
  onNavigate?: () => void;
}

export function ConversationList({ items, activeId, onNew, onRename, onDelete, onError, onNavigate }: ConversationListProps) {
  const [editing, setEditing] = useState<string | null>(null);
  const [title, setTitle] = useState("");
  const [deleting, setDeleting] = useState<ConversationSummary | null>(null);

  async function saveTitle(event: FormEvent, id: string) {
    event.preventDefault();
    const value = title.trim();
    if (!value) return;
    try {
      await onRename(id, value);
      setEditing(null);
    } catch (caught) {
      onError(errorMessage(caught));
    }
  }

  async function confirmDelete() {
    if (!deleting) return;
    const target = deleting;
    setDeleting(null);
    try {
      await onDelete(target.id);
    } catch (caught) {
      onError(errorMessage(caught));
    }
  }

  return (
    <nav className="conversations" aria-label="会话列表">
      <button type="button" className="primary new-chat" onClick={onNew}>
        ＋ 新对话
      </button>
      {items.length === 0 && <p className="muted small-text">还没有会话。</p>}
      <ul>
        {items.map((item) => (
          <li key={item.id} className={item.id === activeId ? "active" : undefined}>
            {editing === item.id ? (
              <form className="rename" onSubmit={(event) => void saveTitle(event, item.id)}>
                <label htmlFor={`rename-${item.id}`} className="visually-hidden">
                  会话标题
                </label>
                <input
                  id={`rename-${item.id}`}
                  value={title}
                  maxLength={200}
                  autoFocus
                  onChange={(event) => setTitle(event.target.value)}
                  onKeyDown={(event) => {
                    if (event.key === "Escape") setEditing(null);
                  }}
                />
                <button type="submit" className="small primary">
                  保存
                </button>
                <button type="button" className="small" onClick={() => setEditing(null)}>
                  取消
                </button>
              </form>
            ) : (
              <>
                <Link
                  to={`/c/${item.id}`}
                  className="conversation-link"
                  aria-current={item.id === activeId ? "page" : undefined}
                  onClick={onNavigate}
                >
                  {item.title}
                </Link>
                <span className="conversation-actions">
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={`重命名“${item.title}”`}
                    title="重命名"
                    onClick={() => {
                      setEditing(item.id);
                      setTitle(item.title);
                    }}
                  >
                    <Icon name="pencil" />
                  </button>
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={`删除“${item.title}”`}
                    title="删除"
                    onClick={() => setDeleting(item)}
                  >
                    <Icon name="trash" />
                  </button>
                </span>
              </>
            )}
          </li>
        ))}
      </ul>
      <ConfirmDialog
        open={deleting !== null}
        title="删除会话"
        message={`确定删除“${deleting?.title ?? ""}”吗？其中的问答和反馈会一起删除，无法恢复。`}
        confirmLabel="删除"
        danger
        onConfirm={() => void confirmDelete()}
        onCancel={() => setDeleting(null)}
      />
    </nav>
  );
}
