import { Link, NavLink, Outlet } from "react-router";
import { Button } from "@/components/ui/button";
import { useMe } from "@/features/auth/api/get-me";
import { useSignOut } from "@/features/auth/hooks/use-session";
import { ConnectionStatus } from "@/features/notifications/components/connection-status";
import { NotificationBell } from "@/features/notifications/components/notification-bell";

function SettingsIcon() {
  return (
    <svg className="app-settings-icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M19.4 13a7.6 7.6 0 0 0 0-2l2.1-1.6-2-3.5-2.5 1a7.4 7.4 0 0 0-1.7-1L15 3.3h-4l-.4 2.6a7.4 7.4 0 0 0-1.7 1l-2.5-1-2 3.5L6.6 11a7.6 7.6 0 0 0 0 2l-2.1 1.6 2 3.5 2.5-1a7.4 7.4 0 0 0 1.7 1l.4 2.6h4l.4-2.6a7.4 7.4 0 0 0 1.7-1l2.5 1 2-3.5L19.4 13ZM13 15.5a3.5 3.5 0 1 1 0-7 3.5 3.5 0 0 1 0 7Z"
        transform="translate(-1 0)"
      />
    </svg>
  );
}

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
        {me?.is_staff ? (
          <nav className="app-nav" aria-label="Staff workspace">
            <NavLink to="/queue">Queue</NavLink>
            <NavLink to="/dashboard">Dashboard</NavLink>
            {me.role === "admin" ? <NavLink to="/settings/sla">Service levels</NavLink> : null}
          </nav>
        ) : null}
        <div className="app-user">
          <ConnectionStatus />
          <NotificationBell />
          {me ? (
            <span className="app-user-name" title={me.email}>
              {me.name}
              {me.is_staff ? <span className="app-user-role"> · Staff</span> : null}
            </span>
          ) : null}
          <Link to="/settings" className="btn btn-ghost btn-sm app-settings">
            <SettingsIcon />
            <span className="app-settings-text">Settings</span>
          </Link>
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
