import { queryOptions, useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import { ticketKeys } from "@/lib/query-keys";
import type { InboundEmail } from "@/lib/types";

/** Staff only: the mails that reached a ticket (customers get a 404 here). */
export async function getTicketEmails(ticketId: string, signal?: AbortSignal): Promise<InboundEmail[]> {
  const body = await api.get<{ results: InboundEmail[] }>(`support/tickets/${encodeURIComponent(ticketId)}/emails/`, {
    signal,
  });
  return body.results;
}

export const ticketEmailsQuery = (ticketId: string) =>
  queryOptions({
    queryKey: ticketKeys.emails(ticketId),
    queryFn: ({ signal }) => getTicketEmails(ticketId, signal),
  });

/**
 * The ticket's mails, fetched only while `enabled` (staff views that need them). Every view of
 * them on a page shares this one query, so the page asks once; a disabled view still reads what
 * another one fetched.
 */
export function useTicketEmails(ticketId: string, enabled: boolean) {
  return useQuery({ ...ticketEmailsQuery(ticketId), enabled });
}
