import { useState } from "react";
import { RouterProvider, createBrowserRouter } from "react-router";
import { createQueryClient } from "@/lib/query-client";
import { AppProviders } from "./providers";
import { routes } from "./router";

export function App() {
  const [queryClient] = useState(createQueryClient);
  const [router] = useState(() => createBrowserRouter(routes));
  return (
    <AppProviders queryClient={queryClient}>
      <RouterProvider router={router} />
    </AppProviders>
  );
}
