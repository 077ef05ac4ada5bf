import { Navigate, Outlet, useLocation } from "react-router";
import { ErrorState } from "@/components/ui/states";
import { useMe } from "@/features/auth/api/get-me";
import { useIsSignedIn } from "@/features/auth/hooks/use-session";
import { errorMessage } from "@/lib/api-client";

/** Routes behind sign-in: without a session, go to sign-in and come back here afterwards. */
export function RequireAuth() {
  const signedIn = useIsSignedIn();
  const me = useMe();
  const location = useLocation();

  if (!signedIn) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/sign-in?next=${encodeURIComponent(next)}`} replace />;
  }
  if (me.isPending) {
    return (
      <div className="page-loading" role="status">
        Loading your account…
      </div>
    );
  }
  if (me.isError) {
    return (
      <main className="page">
        <ErrorState
          title="Your account could not be loaded."
          message={errorMessage(me.error)}
          onRetry={() => void me.refetch()}
          retrying={me.isFetching}
        />
      </main>
    );
  }
  return <Outlet />;
}

/** Only a path inside this app, never another site. */
export function safeNext(raw: string | null): string {
  if (raw && raw.startsWith("/") && !raw.startsWith("//") && !raw.startsWith("/\\")) return raw;
  return "/tickets";
}
