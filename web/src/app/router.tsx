import { Navigate, type RouteObject } from "react-router";
import { AppLayout, PublicLayout } from "./layout";
import { RequireAuth } from "./require-auth";
import { ByRole, RequireStaff, StaffTicketsRedirect } from "./require-staff";
import { DashboardRoute } from "./routes/dashboard";
import { ForgotPasswordRoute } from "./routes/forgot-password";
import { NotFoundRoute } from "./routes/not-found";
import { QueueRoute } from "./routes/queue";
import { RegisterRoute } from "./routes/register";
import { ResetPasswordRoute } from "./routes/reset-password";
import { SettingsRoute } from "./routes/settings";
import { SignInRoute } from "./routes/sign-in";
import { SlaSettingsRoute } from "./routes/sla-settings";
import { StaffTicketRoute } from "./routes/staff-ticket";
import { TicketRoute } from "./routes/ticket";
import { TicketsRoute } from "./routes/tickets";

/** Every page has a real URL, so deep links and reloads work (Django serves the shell for all). */
export const routes: RouteObject[] = [
  {
    element: <PublicLayout />,
    children: [
      { path: "/sign-in", element: <SignInRoute /> },
      { path: "/register", element: <RegisterRoute /> },
      { path: "/forgot-password", element: <ForgotPasswordRoute /> },
      { path: "/reset-password", element: <ResetPasswordRoute /> },
    ],
  },
  {
    element: <RequireAuth />,
    children: [
      {
        element: <AppLayout />,
        children: [
          // Staff work from the queue; customers from their ticket list.
          {
            path: "/",
            element: <ByRole staff={<Navigate to="/queue" replace />} customer={<Navigate to="/tickets" replace />} />,
          },
          { path: "/tickets", element: <ByRole staff={<StaffTicketsRedirect />} customer={<TicketsRoute />} /> },
          { path: "/tickets/:ticketId", element: <ByRole staff={<StaffTicketRoute />} customer={<TicketRoute />} /> },
          {
            element: <RequireStaff />,
            children: [
              { path: "/queue", element: <QueueRoute /> },
              { path: "/dashboard", element: <DashboardRoute /> },
              { path: "/settings/sla", element: <SlaSettingsRoute /> },
            ],
          },
          { path: "/settings", element: <SettingsRoute /> },
          { path: "/settings/notifications", element: <SettingsRoute section="notifications" /> },
          { path: "*", element: <NotFoundRoute /> },
        ],
      },
    ],
  },
];
