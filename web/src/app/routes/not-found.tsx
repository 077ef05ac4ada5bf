import { Link } from "react-router";
import { EmptyState } from "@/components/ui/states";
import { useDocumentTitle } from "@/lib/use-document-title";

export function NotFoundRoute() {
  useDocumentTitle("Page not found");
  return (
    <div className="page">
      <h1>Page not found</h1>
      <EmptyState title="There is nothing at this address." action={<Link to="/tickets">Go to your tickets</Link>} />
    </div>
  );
}
