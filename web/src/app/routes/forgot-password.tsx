import { ForgotPasswordForm } from "@/features/auth/components/forgot-password-form";
import { useDocumentTitle } from "@/lib/use-document-title";

export function ForgotPasswordRoute() {
  useDocumentTitle("Reset your password");
  return <ForgotPasswordForm />;
}
