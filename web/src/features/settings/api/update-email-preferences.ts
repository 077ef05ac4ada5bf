import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api-client";
import { settingsKeys } from "@/lib/query-keys";
import type { EmailPreferences } from "@/lib/types";

/** Turn email kinds on or off; only the kinds named change. */
export function updateEmailPreferences(changes: Record<string, boolean>): Promise<EmailPreferences> {
  return api.patch<EmailPreferences>("notifications/preferences/", { email: changes });
}

/** The switch moves at once, and moves back if the server refuses. */
export function useUpdateEmailPreferences() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateEmailPreferences,
    onMutate: async (changes) => {
      await queryClient.cancelQueries({ queryKey: settingsKeys.emailPreferences });
      const before = queryClient.getQueryData<EmailPreferences>(settingsKeys.emailPreferences);
      if (before) {
        queryClient.setQueryData<EmailPreferences>(settingsKeys.emailPreferences, {
          email: { ...before.email, ...changes },
        });
      }
      return { before };
    },
    onSuccess: (saved) => queryClient.setQueryData(settingsKeys.emailPreferences, saved),
    onError: (_error, _changes, context) => {
      if (context?.before) queryClient.setQueryData(settingsKeys.emailPreferences, context.before);
    },
  });
}
