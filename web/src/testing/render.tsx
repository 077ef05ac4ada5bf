/** Render the real app (routes, providers) at a URL, with a fresh query client and a session. */
import { render } from "@testing-library/react";
import { RouterProvider, createMemoryRouter } from "react-router";
import { AppProviders } from "@/app/providers";
import { routes } from "@/app/router";
import { tokenStore } from "@/lib/api-client";
import { createQueryClient } from "@/lib/query-client";
import type { User } from "@/lib/types";
import { aUser } from "./data";
import { fakeApi } from "./fake-api";

export function signInAs(user: User = aUser()): User {
  tokenStore.set({ access: "access-1", refresh: "refresh-1" });
  fakeApi.on("GET", "/api/auth/me/", user);
  return user;
}

export function renderApp(path: string) {
  const queryClient = createQueryClient();
  queryClient.setDefaultOptions({
    queries: { ...queryClient.getDefaultOptions().queries, retry: false, refetchOnWindowFocus: false },
  });
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  const result = render(
    <AppProviders queryClient={queryClient}>
      <RouterProvider router={router} />
    </AppProviders>,
  );
  return { ...result, router, queryClient };
}
