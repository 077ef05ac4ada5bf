import { Navigate, type RouteObject } from "react-router";
import { AppLayout, PublicLayout } from "./layout";
import { RequireAuth } from "./require-auth";
import { NotFoundRoute } from "./routes/not-found";
import { RegisterRoute } from "./routes/register";
import { SignInRoute } from "./routes/sign-in";
import { TicketRoute } from "./routes/ticket";
import { TicketsRoute } from "./routes/tickets";

/** Every page has a real URL, so deep links and reloads work (Django serves the shell for all). */
export const routes: RouteObject[] = [
  {
    element: <PublicLayout />,
    children: [
      { path: "/sign-in", element: <SignInRoute /> },
      { path: "/register", element: <RegisterRoute /> },
    ],
  },
  {
    element: <RequireAuth />,
    children: [
      {
        element: <AppLayout />,
        children: [
          { path: "/", element: <Navigate to="/tickets" replace /> },
          { path: "/tickets", element: <TicketsRoute /> },
          { path: "/tickets/:ticketId", element: <TicketRoute /> },
          { path: "*", element: <NotFoundRoute /> },
        ],
      },
    ],
  },
];
