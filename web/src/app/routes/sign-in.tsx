import { Navigate, useNavigate, useSearchParams } from "react-router";
import { SignInForm } from "@/features/auth/components/sign-in-form";
import { useIsSignedIn } from "@/features/auth/hooks/use-session";
import { clearSessionNotice, sessionNotice } from "@/lib/session-notice";
import { useDocumentTitle } from "@/lib/use-document-title";
import { safeNext } from "@/app/require-auth";

export function SignInRoute() {
  useDocumentTitle("Sign in");
  const signedIn = useIsSignedIn();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  if (signedIn) return <Navigate to={next} replace />;
  const registerHref = params.get("next") ? `/register?next=${encodeURIComponent(next)}` : "/register";
  const onSignedIn = () => {
    clearSessionNotice();
    navigate(next, { replace: true });
  };
  return <SignInForm onSignedIn={onSignedIn} registerHref={registerHref} notice={sessionNotice()} />;
}
