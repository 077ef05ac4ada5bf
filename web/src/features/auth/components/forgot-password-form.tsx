import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { formErrorsFrom } from "@/lib/form-errors";
import { useRequestPasswordReset } from "@/features/auth/api/request-password-reset";

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Ask for a password reset link; then say to check the inbox (whether or not the email is known). */
export function ForgotPasswordForm() {
  const request = useRequestPasswordReset();
  const [email, setEmail] = useState("");
  const [clientError, setClientError] = useState<string | null>(null);

  const server = request.error ? formErrorsFrom(request.error, ["email"] as const) : null;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const value = email.trim();
    if (!value) return setClientError("Enter your email address.");
    if (!EMAIL_PATTERN.test(value)) return setClientError("Enter a valid email address.");
    setClientError(null);
    request.mutate(value);
  };

  if (request.isSuccess) {
    return (
      <div className="auth-form" role="region" aria-labelledby="reset-sent-title">
        <h1 id="reset-sent-title">Check your email</h1>
        <p role="status">
          If an account uses <strong>{request.variables}</strong>, we have sent it a link to set a new password. The
          link works once and expires after an hour.
        </p>
        <p className="muted">Nothing arrived? Check your spam folder, or ask again in a few minutes.</p>
        <p className="auth-switch">
          <Link to="/sign-in">Back to sign in</Link>
        </p>
      </div>
    );
  }

  return (
    <form className="auth-form" onSubmit={onSubmit} noValidate aria-labelledby="forgot-title">
      <h1 id="forgot-title">Reset your password</h1>
      <p className="muted">Enter the email you sign in with, and we will send you a link to set a new password.</p>
      {server?.form ? <Alert>{server.form}</Alert> : null}
      <TextField
        label="Email"
        type="email"
        autoComplete="email"
        required
        value={email}
        onChange={(event) => setEmail(event.target.value)}
        error={clientError ?? server?.fields.email}
      />
      <Button type="submit" variant="primary" busy={request.isPending} className="btn-block">
        {request.isPending ? "Sending…" : "Send reset link"}
      </Button>
      <p className="auth-switch">
        Remembered it? <Link to="/sign-in">Sign in</Link>
      </p>
    </form>
  );
}
