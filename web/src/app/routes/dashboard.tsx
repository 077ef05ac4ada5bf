import { Dashboard } from "@/features/staff/components/dashboard";
import { useDocumentTitle } from "@/lib/use-document-title";

export function DashboardRoute() {
  useDocumentTitle("Dashboard");
  return <Dashboard />;
}
