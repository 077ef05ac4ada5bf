import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { CurrentPasswordField } from "@/components/password-fields";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { formErrorsFrom } from "@/lib/form-errors";
import { useSignIn } from "@/features/auth/api/sign-in";

type Field = "email" | "password";

export function SignInForm({
  onSignedIn,
  registerHref,
  notice,
}: {
  onSignedIn: () => void;
  registerHref: string;
  /** Why the user is here (their account was deleted, their password reset). */
  notice?: string | null;
}) {
  const signIn = useSignIn();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [clientErrors, setClientErrors] = useState<Partial<Record<Field, string>>>({});

  const server = signIn.error ? formErrorsFrom(signIn.error, ["email", "password"] as const) : null;
  const errors = { ...server?.fields, ...clientErrors };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const next: Partial<Record<Field, string>> = {};
    if (!email.trim()) next.email = "Enter your email address.";
    if (!password) next.password = "Enter your password.";
    setClientErrors(next);
    if (Object.keys(next).length) return;
    signIn.mutate({ email: email.trim(), password }, { onSuccess: onSignedIn });
  };

  return (
    <form className="auth-form" onSubmit={onSubmit} noValidate aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in</h1>
      <p className="muted">Sign in to see your support tickets.</p>
      {notice ? <Alert tone="info">{notice}</Alert> : null}
      {server?.form ? <Alert>{server.form}</Alert> : null}
      <TextField
        label="Email"
        type="email"
        autoComplete="email"
        required
        value={email}
        onChange={(event) => setEmail(event.target.value)}
        error={errors.email}
      />
      <CurrentPasswordField
        label="Password"
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        error={errors.password}
      />
      <p className="auth-forgot">
        <Link to="/forgot-password">Forgot password?</Link>
      </p>
      <Button type="submit" variant="primary" busy={signIn.isPending} className="btn-block">
        {signIn.isPending ? "Signing in…" : "Sign in"}
      </Button>
      <p className="auth-switch">
        New here? <Link to={registerHref}>Create an account</Link>
      </p>
    </form>
  );
}
