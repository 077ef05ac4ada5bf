import { useLocation } from "react-router";
import { Queue } from "@/features/staff/components/queue";
import type { FromQueueState } from "@/features/staff/types";
import { useDocumentTitle } from "@/lib/use-document-title";
import { useNewTicketForCustomer } from "@/app/staff-new-ticket";

export function QueueRoute() {
  useDocumentTitle("Queue");
  const location = useLocation();
  // From the new ticket, "← Queue" comes back to the queue as it was filtered.
  const newTicket = useNewTicketForCustomer({ state: { queueSearch: location.search } satisfies FromQueueState });
  return (
    <>
      <Queue onNewTicket={() => newTicket.open()} />
      {newTicket.dialog}
    </>
  );
}
