import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { RelativeTime } from "@/components/ui/relative-time";
import { Skeleton } from "@/components/ui/skeleton";
import { Button } from "@/components/ui/button";
import { errorMessage } from "@/lib/api-client";
import { ticketKeys } from "@/lib/query-keys";
import { useTicketHistory } from "@/features/staff/api/get-history";
import { historySentence } from "@/features/staff/lib/history-sentence";

/** Who changed what and when, newest first. Refreshes whenever the ticket changes. */
export function HistoryTimeline({ ticketId, updatedAt }: { ticketId: string; updatedAt: string }) {
  const history = useTicketHistory(ticketId);
  const queryClient = useQueryClient();
  const seen = useRef(updatedAt);

  useEffect(() => {
    if (seen.current === updatedAt) return;
    seen.current = updatedAt;
    void queryClient.invalidateQueries({ queryKey: ticketKeys.history(ticketId) });
  }, [updatedAt, ticketId, queryClient]);

  let body;
  if (history.isPending) {
    body = (
      <div aria-busy="true">
        <p className="visually-hidden" role="status">
          Loading the history…
        </p>
        <Skeleton width="90%" />
        <Skeleton width="70%" />
      </div>
    );
  } else if (history.isError) {
    body = (
      <div className="side-error" role="alert">
        <p>The history could not be loaded: {errorMessage(history.error)}</p>
        <Button size="sm" onClick={() => void history.refetch()} busy={history.isFetching}>
          Try again
        </Button>
      </div>
    );
  } else if (history.data.length === 0) {
    body = <p className="muted">No changes yet.</p>;
  } else {
    body = (
      <ol className="history-list">
        {history.data.map((event) => (
          <li key={event.id} className={`history-item history-${event.kind}`}>
            <p>
              {historySentence(event)}
              <span className="history-time">
                {" · "}
                <RelativeTime value={event.created_at} />
              </span>
            </p>
            {event.note ? <p className="history-note">Reason: {event.note}</p> : null}
          </li>
        ))}
      </ol>
    );
  }

  return (
    <section className="side-section" aria-labelledby="history-heading">
      <h2 id="history-heading" className="side-heading">
        History
      </h2>
      {body}
    </section>
  );
}
