import { useSearchParams } from "react-router";
import { ResetPasswordForm } from "@/features/auth/components/reset-password-form";
import { useDocumentTitle } from "@/lib/use-document-title";

/** The page the reset email links to: /reset-password?uid=…&token=… */
export function ResetPasswordRoute() {
  useDocumentTitle("Set a new password");
  const [params] = useSearchParams();
  return <ResetPasswordForm uid={params.get("uid") ?? ""} token={params.get("token") ?? ""} />;
}
