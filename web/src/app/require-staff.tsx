import type { ReactNode } from "react";
import { Link, Navigate, Outlet, useLocation } from "react-router";
import { EmptyState } from "@/components/ui/states";
import { useMe } from "@/features/auth/api/get-me";
import { useDocumentTitle } from "@/lib/use-document-title";

/** What a customer sees at a staff address: a plain refusal, never the page or a crash. */
export function StaffOnlyPage() {
  useDocumentTitle("Staff only");
  return (
    <div className="page">
      <h1>This page is for support staff</h1>
      <EmptyState
        title="You do not have access to this page."
        action={<Link to="/tickets">Go to your tickets</Link>}
      >
        It is part of the support team’s workspace. If you need help, open a ticket and we will answer there.
      </EmptyState>
    </div>
  );
}

/** Routes only staff may open (inside RequireAuth, so the user is known). */
export function RequireStaff() {
  const me = useMe().data;
  return me?.is_staff ? <Outlet /> : <StaffOnlyPage />;
}

/** One address, two pages: the staff workspace's or the customer's. */
export function ByRole({ staff, customer }: { staff: ReactNode; customer: ReactNode }) {
  const me = useMe().data;
  return <>{me?.is_staff ? staff : customer}</>;
}

/** Staff asking for the ticket list get the queue, with the same filters. */
export function StaffTicketsRedirect() {
  const location = useLocation();
  return <Navigate to={{ pathname: "/queue", search: location.search }} replace />;
}
