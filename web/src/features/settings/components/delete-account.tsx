import { useRef, useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { CurrentPasswordField } from "@/components/password-fields";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { formErrorsFrom } from "@/lib/form-errors";
import { useDeleteAccount } from "@/features/settings/api/delete-account";

/** Delete the account after the user confirms with their password; then they are signed out. */
export function DeleteAccount() {
  const remove = useDeleteAccount();
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  const [password, setPassword] = useState("");
  const [clientError, setClientError] = useState<string | null>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  const server = remove.error ? formErrorsFrom(remove.error, ["password"] as const) : null;
  const close = () => {
    setConfirming(false);
    setPassword("");
    setClientError(null);
    remove.reset();
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!password) {
      setClientError("Enter your password to confirm.");
      passwordRef.current?.focus();
      return;
    }
    setClientError(null);
    remove.mutate(password, { onSuccess: () => navigate("/sign-in", { replace: true }) });
  };

  return (
    <div className="settings-form">
      <p>
        Deleting your account removes your profile, your tickets, their messages and files, for good. Download
        your data first if you want to keep a copy.
      </p>
      <div>
        <Button variant="danger" onClick={() => setConfirming(true)}>
          Delete my account…
        </Button>
      </div>
      <Dialog
        open={confirming}
        onClose={close}
        title="Delete your account?"
        role="alertdialog"
        size="sm"
        initialFocusRef={passwordRef}
        locked={remove.isPending}
        description="This cannot be undone: your tickets, messages and files are deleted with it."
      >
        <form className="settings-form" onSubmit={onSubmit} noValidate>
          {server?.form ? <Alert>{server.form}</Alert> : null}
          <CurrentPasswordField
            ref={passwordRef}
            label="Your password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            error={clientError ?? server?.fields.password}
          />
          <div className="dialog-actions">
            <Button onClick={close} disabled={remove.isPending}>
              Keep my account
            </Button>
            <Button type="submit" variant="danger" busy={remove.isPending}>
              {remove.isPending ? "Deleting…" : "Delete my account"}
            </Button>
          </div>
        </form>
      </Dialog>
    </div>
  );
}
