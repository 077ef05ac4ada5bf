import { useId, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { ErrorState } from "@/components/ui/states";
import { errorMessage } from "@/lib/api-client";
import { useEmailPreferences } from "@/features/settings/api/get-email-preferences";
import { useUpdateEmailPreferences } from "@/features/settings/api/update-email-preferences";
import { emailKindLabel } from "@/features/settings/lib/email-kinds";

/** One switch per email kind the user can receive; each change is saved at once. */
export function EmailPreferences() {
  const preferences = useEmailPreferences();
  const update = useUpdateEmailPreferences();
  const [saved, setSaved] = useState("");
  const id = useId();

  if (preferences.isPending) {
    return (
      <p className="muted" role="status">
        Loading your email settings…
      </p>
    );
  }
  if (preferences.isError) {
    return (
      <ErrorState
        title="Your email settings could not be loaded."
        message={errorMessage(preferences.error)}
        onRetry={() => void preferences.refetch()}
        retrying={preferences.isFetching}
      />
    );
  }

  const toggle = (kind: string, enabled: boolean) => {
    setSaved("");
    const { label } = emailKindLabel(kind);
    update.mutate(
      { [kind]: enabled },
      { onSuccess: () => setSaved(`Saved: ${label} emails are ${enabled ? "on" : "off"}.`) },
    );
  };

  return (
    <>
      <ul className="switch-list">
        {Object.entries(preferences.data.email).map(([kind, enabled]) => {
          const { label, hint } = emailKindLabel(kind);
          const inputId = `${id}-${kind}`;
          return (
            <li key={kind} className="switch-row">
              <input
                id={inputId}
                className="switch"
                type="checkbox"
                role="switch"
                checked={enabled}
                onChange={(event) => toggle(kind, event.target.checked)}
                aria-describedby={hint ? `${inputId}-hint` : undefined}
              />
              <div>
                <label htmlFor={inputId} className="switch-label">
                  {label}
                </label>
                {hint ? (
                  <p id={`${inputId}-hint`} className="field-hint">
                    {hint}
                  </p>
                ) : null}
              </div>
            </li>
          );
        })}
      </ul>
      {update.isError ? <Alert>Not saved: {errorMessage(update.error)}</Alert> : null}
      <p className="settings-saved" role="status">
        {saved}
      </p>
    </>
  );
}
