/** Query keys shared across features, so a mutation in one view invalidates the others. */
export const ticketKeys = {
  all: ["tickets"] as const,
  lists: () => [...ticketKeys.all, "list"] as const,
  list: (filters: Record<string, string | number | undefined>) => [...ticketKeys.lists(), filters] as const,
  details: () => [...ticketKeys.all, "detail"] as const,
  detail: (id: string) => [...ticketKeys.details(), id] as const,
};

export const authKeys = {
  me: ["auth", "me"] as const,
};

export const attachmentKeys = {
  blob: (id: string, inline: boolean) => ["attachments", id, inline ? "inline" : "file"] as const,
};
