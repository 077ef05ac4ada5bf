import { useState, type FormEvent } from "react";
import { CurrentPasswordField, NewPasswordFields, newPasswordProblems } from "@/components/password-fields";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { formErrorsFrom } from "@/lib/form-errors";
import { useChangePassword } from "@/features/settings/api/change-password";

type Field = "current_password" | "new_password" | "confirm";
const EMPTY: Record<Field, string> = { current_password: "", new_password: "", confirm: "" };

/** Change the password; other sessions end, this one carries on with new tokens. */
export function ChangePasswordForm() {
  const change = useChangePassword();
  const [values, setValues] = useState(EMPTY);
  const [clientErrors, setClientErrors] = useState<Partial<Record<Field, string>>>({});
  const [done, setDone] = useState(false);

  // The server names the new password's problems "password".
  const server = change.error
    ? formErrorsFrom(change.error, ["current_password", "new_password", "password"] as const)
    : null;
  const errors: Partial<Record<Field, string>> = {
    current_password: server?.fields.current_password,
    new_password: server?.fields.new_password ?? server?.fields.password,
    ...clientErrors,
  };
  const set = (field: Field) => (event: { target: { value: string } }) => {
    setDone(false);
    setValues((current) => ({ ...current, [field]: event.target.value }));
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const next: Partial<Record<Field, string>> = {};
    if (!values.current_password) next.current_password = "Enter your current password.";
    const problems = newPasswordProblems(values.new_password, {
      value: values.confirm,
      mismatch: "The two new passwords are not the same.",
    });
    if (problems.password) next.new_password = problems.password;
    if (problems.repeat) next.confirm = problems.repeat;
    setClientErrors(next);
    setDone(false);
    if (Object.keys(next).length) return;
    change.mutate(
      { current_password: values.current_password, new_password: values.new_password },
      {
        onSuccess: () => {
          setValues(EMPTY);
          setDone(true);
        },
      },
    );
  };

  return (
    <form className="settings-form" onSubmit={onSubmit} noValidate aria-label="Change password">
      {server?.form ? <Alert>{server.form}</Alert> : null}
      {done ? (
        <Alert tone="success" title="Your password is changed.">
          You were signed out on your other devices.
        </Alert>
      ) : null}
      <CurrentPasswordField
        label="Current password"
        value={values.current_password}
        onChange={set("current_password")}
        error={errors.current_password}
      />
      <NewPasswordFields
        password={{ value: values.new_password, onChange: set("new_password"), error: errors.new_password }}
        repeat={{ value: values.confirm, onChange: set("confirm"), error: errors.confirm }}
      />
      <div>
        <Button type="submit" variant="primary" busy={change.isPending}>
          {change.isPending ? "Changing…" : "Change password"}
        </Button>
      </div>
    </form>
  );
}
