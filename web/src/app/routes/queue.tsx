import { Queue } from "../../features/staff/components/queue";
import { useDocumentTitle } from "../../lib/use-document-title";

export function QueueRoute() {
  useDocumentTitle("Queue");
  return <Queue />;
}
