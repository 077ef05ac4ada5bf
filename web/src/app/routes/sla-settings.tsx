import { useMe } from "@/features/auth/api/get-me";
import { SlaSettingsPage } from "@/features/sla-admin/components/sla-settings-page";
import { useDocumentTitle } from "@/lib/use-document-title";

/** Staff only (the router puts it behind RequireStaff); admins may change what they see. */
export function SlaSettingsRoute() {
  useDocumentTitle("Service levels");
  const me = useMe().data!;
  return <SlaSettingsPage canEdit={me.role === "admin"} />;
}
