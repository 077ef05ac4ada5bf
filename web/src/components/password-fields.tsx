/**
 * The password fields the account forms share: a new password (with SPEC's rule as its hint)
 * and its repetition, the current password, and the client-side check of a new password.
 * Each form keeps its own labels where they differ, and its own wording of a mismatch.
 */
import { forwardRef, type ChangeEventHandler } from "react";
import { TextField } from "./ui/field";

/** SPEC's shortest password; the server also refuses common ones. */
export const PASSWORD_MIN_LENGTH = 8;

export interface PasswordFieldProps {
  value: string;
  onChange: ChangeEventHandler<HTMLInputElement>;
  error?: string;
}

/** A password the user chooses: the browser may offer to generate one. */
export function NewPasswordField({
  label = "New password",
  value,
  onChange,
  error,
}: PasswordFieldProps & { label?: string }) {
  return (
    <TextField
      label={label}
      type="password"
      autoComplete="new-password"
      required
      hint={`At least ${PASSWORD_MIN_LENGTH} characters; not a common password.`}
      value={value}
      onChange={onChange}
      error={error}
    />
  );
}

/** A new password and its repetition. */
export function NewPasswordFields({ password, repeat }: { password: PasswordFieldProps; repeat: PasswordFieldProps }) {
  return (
    <>
      <NewPasswordField value={password.value} onChange={password.onChange} error={password.error} />
      <TextField
        label="Repeat the new password"
        type="password"
        autoComplete="new-password"
        required
        value={repeat.value}
        onChange={repeat.onChange}
        error={repeat.error}
      />
    </>
  );
}

/** The password the user has now (to sign in, or to confirm a change). */
export const CurrentPasswordField = forwardRef<HTMLInputElement, PasswordFieldProps & { label: string }>(
  function CurrentPasswordField({ label, value, onChange, error }, ref) {
    return (
      <TextField
        ref={ref}
        label={label}
        type="password"
        autoComplete="current-password"
        required
        value={value}
        onChange={onChange}
        error={error}
      />
    );
  },
);

/**
 * What is wrong with a new password, before the server judges it (it also refuses common
 * ones): too short, or else (when it is typed twice) not the same twice, in the form's words.
 */
export function newPasswordProblems(
  password: string,
  repeat?: { value: string; mismatch: string },
): { password?: string; repeat?: string } {
  if (password.length < PASSWORD_MIN_LENGTH) return { password: `Use at least ${PASSWORD_MIN_LENGTH} characters.` };
  if (repeat && password !== repeat.value) return { repeat: repeat.mismatch };
  return {};
}
