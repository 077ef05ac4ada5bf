import { useEffect, useRef, useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextAreaField, TextField } from "@/components/ui/field";
import { formErrorsFrom } from "@/lib/form-errors";
import { useCreateCannedResponse } from "@/features/staff/api/create-canned-response";
import { useUpdateCannedResponse } from "@/features/staff/api/update-canned-response";
import { PLACEHOLDERS, type CannedResponse } from "@/features/staff/types";

const FIELDS = ["title", "body", "shared"] as const;

/** Create a canned response, or edit one of yours (or, for admins, a shared one). */
export function CannedForm({ response, onDone }: { response?: CannedResponse; onDone: () => void }) {
  const create = useCreateCannedResponse();
  const update = useUpdateCannedResponse();
  const mutation = response ? update : create;
  const [title, setTitle] = useState(response?.title ?? "");
  const [body, setBody] = useState(response?.body ?? "");
  const [shared, setShared] = useState(response?.shared ?? false);
  const [local, setLocal] = useState<{ title?: string; body?: string }>({});
  const titleRef = useRef<HTMLInputElement>(null);
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  useEffect(() => titleRef.current?.focus(), []);
  const server = mutation.isError ? formErrorsFrom(mutation.error, FIELDS) : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems: typeof local = {};
    if (!title.trim()) problems.title = "Give the response a title.";
    if (!body.trim()) problems.body = "Write the text of the response.";
    setLocal(problems);
    if (problems.title) return titleRef.current?.focus();
    if (problems.body) return bodyRef.current?.focus();
    const input = { title: title.trim(), body, shared };
    if (response) update.mutate({ id: response.id, input }, { onSuccess: onDone });
    else create.mutate(input, { onSuccess: onDone });
  };

  return (
    <form className="dialog-form canned-form" onSubmit={submit} noValidate aria-label={response ? "Edit response" : "New response"}>
      <TextField
        ref={titleRef}
        label="Title"
        required
        maxLength={200}
        value={title}
        onChange={(event) => setTitle(event.target.value)}
        error={local.title ?? server?.fields.title}
      />
      <TextAreaField
        ref={bodyRef}
        label="Text"
        required
        rows={6}
        value={body}
        onChange={(event) => setBody(event.target.value)}
        error={local.body ?? server?.fields.body}
        hint={<>Placeholders filled in when used: {PLACEHOLDERS.map((name) => `{{${name}}}`).join(", ")}</>}
      />
      <label className="checkbox-field">
        <input type="checkbox" checked={shared} onChange={(event) => setShared(event.target.checked)} />
        Share with all staff
      </label>
      {server?.form ? <Alert>{server.form}</Alert> : null}
      <div className="dialog-actions">
        <Button onClick={onDone} disabled={mutation.isPending}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" busy={mutation.isPending}>
          {mutation.isPending ? "Saving…" : response ? "Save changes" : "Create response"}
        </Button>
      </div>
    </form>
  );
}
