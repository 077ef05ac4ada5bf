import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { NewPasswordField, newPasswordProblems } from "@/components/password-fields";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { formErrorsFrom } from "@/lib/form-errors";
import { useRegister } from "@/features/auth/api/register";

const FIELDS = ["email", "password", "first_name", "last_name"] as const;
type Field = (typeof FIELDS)[number];

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function RegisterForm({ onRegistered, signInHref }: { onRegistered: () => void; signInHref: string }) {
  const registration = useRegister();
  const [values, setValues] = useState<Record<Field, string>>({
    email: "",
    password: "",
    first_name: "",
    last_name: "",
  });
  const [clientErrors, setClientErrors] = useState<Partial<Record<Field, string>>>({});

  const server = registration.error ? formErrorsFrom(registration.error, FIELDS) : null;
  const errors = { ...server?.fields, ...clientErrors };
  const set = (field: Field) => (event: { target: { value: string } }) =>
    setValues((current) => ({ ...current, [field]: event.target.value }));

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const next: Partial<Record<Field, string>> = {};
    if (!values.email.trim()) next.email = "Enter your email address.";
    else if (!EMAIL_PATTERN.test(values.email.trim())) next.email = "Enter a valid email address.";
    const password = newPasswordProblems(values.password).password;
    if (password) next.password = password;
    setClientErrors(next);
    if (Object.keys(next).length) return;
    registration.mutate(
      {
        email: values.email.trim(),
        password: values.password,
        first_name: values.first_name.trim(),
        last_name: values.last_name.trim(),
      },
      { onSuccess: onRegistered },
    );
  };

  return (
    <form className="auth-form" onSubmit={onSubmit} noValidate aria-labelledby="register-title">
      <h1 id="register-title">Create an account</h1>
      <p className="muted">Open tickets and talk with our support team.</p>
      {server?.form ? <Alert>{server.form}</Alert> : null}
      <div className="field-row">
        <TextField
          label="First name"
          autoComplete="given-name"
          value={values.first_name}
          onChange={set("first_name")}
          error={errors.first_name}
        />
        <TextField
          label="Last name"
          autoComplete="family-name"
          value={values.last_name}
          onChange={set("last_name")}
          error={errors.last_name}
        />
      </div>
      <TextField
        label="Email"
        type="email"
        autoComplete="email"
        required
        value={values.email}
        onChange={set("email")}
        error={errors.email}
      />
      <NewPasswordField label="Password" value={values.password} onChange={set("password")} error={errors.password} />
      <Button type="submit" variant="primary" busy={registration.isPending} className="btn-block">
        {registration.isPending ? "Creating your account…" : "Create account"}
      </Button>
      <p className="auth-switch">
        Already have an account? <Link to={signInHref}>Sign in</Link>
      </p>
    </form>
  );
}
