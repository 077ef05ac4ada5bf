import { useState, type FormEvent } from "react";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { TextField } from "../../../components/ui/field";
import { formErrorsFrom } from "../../../lib/form-errors";
import { useChangePassword } from "../api/change-password";

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
    if (values.new_password.length < 8) next.new_password = "Use at least 8 characters.";
    else if (values.new_password !== values.confirm) next.confirm = "The two new passwords are not the same.";
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
      <TextField
        label="Current password"
        type="password"
        autoComplete="current-password"
        required
        value={values.current_password}
        onChange={set("current_password")}
        error={errors.current_password}
      />
      <TextField
        label="New password"
        type="password"
        autoComplete="new-password"
        required
        hint="At least 8 characters; not a common password."
        value={values.new_password}
        onChange={set("new_password")}
        error={errors.new_password}
      />
      <TextField
        label="Repeat the new password"
        type="password"
        autoComplete="new-password"
        required
        value={values.confirm}
        onChange={set("confirm")}
        error={errors.confirm}
      />
      <div>
        <Button type="submit" variant="primary" busy={change.isPending}>
          {change.isPending ? "Changing…" : "Change password"}
        </Button>
      </div>
    </form>
  );
}
