import { useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import { settingsKeys } from "@/lib/query-keys";
import type { EmailPreferences } from "@/lib/types";

export function getEmailPreferences(signal?: AbortSignal): Promise<EmailPreferences> {
  return api.get<EmailPreferences>("notifications/preferences/", { signal });
}

export function useEmailPreferences() {
  return useQuery({ queryKey: settingsKeys.emailPreferences, queryFn: ({ signal }) => getEmailPreferences(signal) });
}
