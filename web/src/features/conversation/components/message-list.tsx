import { useEffect, useLayoutEffect, useRef, type ReactNode } from "react";
import type { Attachment, Message, User } from "@/lib/types";
import type { OutgoingMessage } from "@/features/conversation/hooks/use-send-message";
import { MessageItem, OutgoingItem } from "./message-item";

export interface MessageListProps {
  messages: Message[];
  pending: OutgoingMessage[];
  viewer: User;
  onRetry: (clientId: string) => void;
  onDiscard: (clientId: string) => void;
  renderAttachments?: (attachments: Attachment[]) => ReactNode;
  /** Extra controls on a message (the staff workspace's "Original mail"). */
  renderMessageTools?: (message: Message) => ReactNode;
}

/** The conversation, oldest first; it keeps the newest message in view as messages arrive. */
export function MessageList({
  messages,
  pending,
  viewer,
  onRetry,
  onDiscard,
  renderAttachments,
  renderMessageTools,
}: MessageListProps) {
  const paneRef = useRef<HTMLDivElement>(null);
  const count = messages.length + pending.length;
  const listRef = useRef<HTMLOListElement>(null);
  const lastCount = useRef(0);
  const atBottom = useRef(true);

  useLayoutEffect(() => {
    const pane = paneRef.current;
    if (!pane || count === lastCount.current) return;
    lastCount.current = count;
    pane.scrollTop = pane.scrollHeight;
    atBottom.current = true;
  }, [count]);

  // Images load after the first scroll; keep the newest message in view while the reader is
  // at the bottom, but never pull them down while they read older messages.
  useEffect(() => {
    const pane = paneRef.current;
    const list = listRef.current;
    if (!pane || !list || typeof ResizeObserver === "undefined") return undefined;
    const onScroll = () => {
      atBottom.current = pane.scrollHeight - pane.scrollTop - pane.clientHeight < 48;
    };
    const observer = new ResizeObserver(() => {
      if (atBottom.current) pane.scrollTop = pane.scrollHeight;
    });
    observer.observe(list);
    pane.addEventListener("scroll", onScroll, { passive: true });
    return () => {
      observer.disconnect();
      pane.removeEventListener("scroll", onScroll);
    };
  }, []);

  const attachmentsOf = (attachments: Attachment[]) =>
    attachments.length && renderAttachments ? renderAttachments(attachments) : null;

  return (
    <div
      ref={paneRef}
      className="message-pane"
      role="log"
      aria-live="polite"
      aria-relevant="additions"
      aria-label="Conversation"
      tabIndex={0}
    >
      {count === 0 ? <p className="muted">No messages yet.</p> : null}
      <ol className="message-list" ref={listRef}>
        {messages.map((message) => (
          <MessageItem
            key={message.id}
            message={message}
            viewer={viewer}
            attachments={attachmentsOf(message.attachments)}
            tools={renderMessageTools?.(message)}
          />
        ))}
        {pending.map((item) => (
          <OutgoingItem
            key={item.clientId}
            item={item}
            attachments={attachmentsOf(item.attachments)}
            onRetry={() => onRetry(item.clientId)}
            onDiscard={() => onDiscard(item.clientId)}
          />
        ))}
      </ol>
    </div>
  );
}
