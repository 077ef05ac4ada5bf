import { useMe } from "@/features/auth/api/get-me";
import { SettingsPage } from "@/features/settings/components/settings-page";
import { useDocumentTitle } from "@/lib/use-document-title";

export function SettingsRoute({ section }: { section?: "notifications" }) {
  useDocumentTitle(section === "notifications" ? "Email notifications" : "Settings");
  const me = useMe().data!;
  return <SettingsPage viewer={me} section={section} />;
}
