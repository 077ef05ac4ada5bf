import { Navigate, useNavigate, useSearchParams } from "react-router";
import { RegisterForm } from "@/features/auth/components/register-form";
import { useIsSignedIn } from "@/features/auth/hooks/use-session";
import { useDocumentTitle } from "@/lib/use-document-title";
import { safeNext } from "@/app/require-auth";

export function RegisterRoute() {
  useDocumentTitle("Create an account");
  const signedIn = useIsSignedIn();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  if (signedIn) return <Navigate to={next} replace />;
  const signInHref = params.get("next") ? `/sign-in?next=${encodeURIComponent(next)}` : "/sign-in";
  return <RegisterForm onRegistered={() => navigate(next, { replace: true })} signInHref={signInHref} />;
}
