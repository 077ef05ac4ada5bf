/** Query keys shared across features, so a mutation in one view invalidates the others. */
export const ticketKeys = {
  all: ["tickets"] as const,
  lists: () => [...ticketKeys.all, "list"] as const,
  list: (filters: Record<string, string | number | undefined>) => [...ticketKeys.lists(), filters] as const,
  details: () => [...ticketKeys.all, "detail"] as const,
  detail: (id: string) => [...ticketKeys.details(), id] as const,
  /** Kept apart from the detail key, so cancelling a detail refetch never touches it. */
  history: (id: string) => [...ticketKeys.all, "history", id] as const,
  /** Staff only: the mails that reached the ticket. */
  emails: (id: string) => [...ticketKeys.all, "emails", id] as const,
};

/** The staff workspace's own data (agents, customers, canned responses, metrics). */
export const staffKeys = {
  agents: ["staff", "agents"] as const,
  canned: () => ["staff", "canned"] as const,
  cannedList: (search: string) => [...staffKeys.canned(), "list", search] as const,
  metricsAll: () => ["staff", "metrics"] as const,
  metrics: (from: string, to: string) => [...staffKeys.metricsAll(), from, to] as const,
  customers: () => ["staff", "customers"] as const,
  customerSearch: (search: string) => [...staffKeys.customers(), search] as const,
};

export const authKeys = {
  me: ["auth", "me"] as const,
};

export const attachmentKeys = {
  blob: (id: string, inline: boolean) => ["attachments", id, inline ? "inline" : "file"] as const,
};

export const notificationKeys = {
  all: ["notifications"] as const,
  list: () => [...notificationKeys.all, "list"] as const,
  unreadCount: () => [...notificationKeys.all, "unread-count"] as const,
};

export const settingsKeys = {
  emailPreferences: ["settings", "email-preferences"] as const,
};
