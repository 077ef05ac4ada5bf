import { Navigate, useNavigate, useSearchParams } from "react-router";
import { SignInForm } from "../../features/auth/components/sign-in-form";
import { useIsSignedIn } from "../../features/auth/hooks/use-session";
import { useDocumentTitle } from "../../lib/use-document-title";
import { safeNext } from "../require-auth";

export function SignInRoute() {
  useDocumentTitle("Sign in");
  const signedIn = useIsSignedIn();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  if (signedIn) return <Navigate to={next} replace />;
  const registerHref = params.get("next") ? `/register?next=${encodeURIComponent(next)}` : "/register";
  return <SignInForm onSignedIn={() => navigate(next, { replace: true })} registerHref={registerHref} />;
}
