import { Link, Outlet } from "react-router";
import { Button } from "../components/ui/button";
import { useMe } from "../features/auth/api/get-me";
import { useSignOut } from "../features/auth/hooks/use-session";

/** The signed-in frame: skip link, header with the user and sign-out, and the page. */
export function AppLayout() {
  const me = useMe().data;
  const signOut = useSignOut();
  return (
    <div className="app">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="app-header">
        <Link to="/tickets" className="brand">
          Support Desk
        </Link>
        <div className="app-user">
          {me ? (
            <span className="app-user-name" title={me.email}>
              {me.name}
              {me.is_staff ? <span className="app-user-role"> · Staff</span> : null}
            </span>
          ) : null}
          <Button size="sm" variant="ghost" onClick={signOut}>
            Sign out
          </Button>
        </div>
      </header>
      <main id="main" className="app-main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}

/** The frame for pages without a session (sign-in, register). */
export function PublicLayout() {
  return (
    <div className="app app-public">
      <header className="app-header">
        <Link to="/" className="brand">
          Support Desk
        </Link>
      </header>
      <main id="main" className="app-main auth-main">
        <Outlet />
      </main>
    </div>
  );
}
