/** Open the service-levels page as a given user, with the fake calendar and policy endpoints. */
import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { User } from "@/lib/types";
import { aUser } from "@/testing/data";
import { fakeApi } from "@/testing/fake-api";
import { renderApp, signInAs } from "@/testing/render";
import type { BusinessCalendar, SlaPolicy } from "@/features/sla-admin/types";
import { FakeSlaApi, aCalendar, aPolicy, theBuiltinCalendar } from "./fake-sla-api";

export function anAdmin(overrides: Partial<User> = {}): User {
  return aUser({
    id: "admin-ada",
    email: "ada.admin@example.com",
    first_name: "Ada",
    last_name: "Admin",
    name: "Ada Admin",
    role: "admin",
    is_staff: true,
    ...overrides,
  });
}

export interface OpenOptions {
  user?: User;
  calendars?: BusinessCalendar[];
  policies?: SlaPolicy[];
  path?: string;
}

export async function openSlaSettings({
  user = anAdmin(),
  calendars = [theBuiltinCalendar(), aCalendar()],
  policies = [aPolicy()],
  path = "/settings/sla",
}: OpenOptions = {}) {
  const events = userEvent.setup();
  signInAs(user);
  fakeApi.on("GET", "/api/notifications/unread-count/", { unread: 0 });
  const sla = new FakeSlaApi({ calendars, policies }).install();
  const rendered = renderApp(path);
  if (user.is_staff) await screen.findByRole("heading", { level: 1, name: "Service levels" });
  return { user: events, sla, ...rendered };
}
