import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { NewPasswordFields, newPasswordProblems } from "@/components/password-fields";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { formErrorsFrom } from "@/lib/form-errors";
import { useConfirmPasswordReset, useResetLinkState } from "@/features/auth/api/confirm-password-reset";

type Field = "password" | "confirm";

/** Set a new password from the emailed link (uid and token); the server's errors are shown as it gives them. */
export function ResetPasswordForm({ uid, token }: { uid: string; token: string }) {
  const confirm = useConfirmPasswordReset();
  const link = useResetLinkState(uid, token);
  const [values, setValues] = useState<Record<Field, string>>({ password: "", confirm: "" });
  const [clientErrors, setClientErrors] = useState<Partial<Record<Field, string>>>({});

  if (!uid || !token) {
    return (
      <div className="auth-form" role="region" aria-labelledby="reset-title">
        <h1 id="reset-title">Set a new password</h1>
        <Alert>This reset link is incomplete. Copy the whole link from the email, or ask for a new one.</Alert>
        <p className="auth-switch">
          <Link to="/forgot-password">Ask for a new link</Link>
        </p>
      </div>
    );
  }

  if (link.data?.valid === false && !confirm.isSuccess) {
    return (
      <div className="auth-form" role="region" aria-labelledby="reset-title">
        <h1 id="reset-title">This link no longer works</h1>
        <Alert>
          Reset links work once and expire after a while. This one was used already or has expired: ask for a new one.
        </Alert>
        <p className="auth-switch">
          <Link to="/forgot-password">Ask for a new link</Link>
        </p>
      </div>
    );
  }

  if (confirm.isSuccess) {
    return (
      <div className="auth-form" role="region" aria-labelledby="reset-done-title">
        <h1 id="reset-done-title">Your password is changed</h1>
        <p role="status">Sign in with your new password. Any other sessions were signed out.</p>
        <Link to="/sign-in" className="btn btn-primary btn-block">
          Sign in
        </Link>
      </div>
    );
  }

  const server = confirm.error ? formErrorsFrom(confirm.error, ["token", "password", "new_password"] as const) : null;
  const linkProblem = server?.fields.token;
  const errors: Partial<Record<Field, string>> = {
    password: server?.fields.password ?? server?.fields.new_password,
    ...clientErrors,
  };

  const set = (field: Field) => (event: { target: { value: string } }) =>
    setValues((current) => ({ ...current, [field]: event.target.value }));

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const next: Partial<Record<Field, string>> = {};
    const problems = newPasswordProblems(values.password, {
      value: values.confirm,
      mismatch: "The two passwords are not the same.",
    });
    if (problems.password) next.password = problems.password;
    if (problems.repeat) next.confirm = problems.repeat;
    setClientErrors(next);
    if (Object.keys(next).length) return;
    confirm.mutate({ uid, token, new_password: values.password });
  };

  return (
    <form className="auth-form" onSubmit={onSubmit} noValidate aria-labelledby="reset-title">
      <h1 id="reset-title">Set a new password</h1>
      {linkProblem ? (
        <Alert title={linkProblem}>
          <Link to="/forgot-password">Ask for a new link</Link>
        </Alert>
      ) : null}
      {server?.form ? <Alert>{server.form}</Alert> : null}
      <NewPasswordFields
        password={{ value: values.password, onChange: set("password"), error: errors.password }}
        repeat={{ value: values.confirm, onChange: set("confirm"), error: errors.confirm }}
      />
      <Button type="submit" variant="primary" busy={confirm.isPending} className="btn-block">
        {confirm.isPending ? "Saving…" : "Set new password"}
      </Button>
      <p className="auth-switch">
        <Link to="/sign-in">Back to sign in</Link>
      </p>
    </form>
  );
}
