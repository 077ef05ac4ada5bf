import { useEffect, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/states";
import { errorMessage } from "@/lib/api-client";
import { useDeleteCannedResponse } from "@/features/staff/api/delete-canned-response";
import { useCannedResponses } from "@/features/staff/api/get-canned-responses";
import { useRenderCannedResponse } from "@/features/staff/api/render-canned-response";
import type { CannedResponse } from "@/features/staff/types";
import { CannedForm } from "./canned-form";

const SEARCH_DELAY_MS = 250;

export interface CannedPickerProps {
  ticketId: string;
  /** Receives the response's text with its placeholders filled for this ticket. */
  onInsert: (text: string) => void;
}

/** A button that opens the canned responses: search, insert into the composer, and manage them. */
export function CannedPicker({ ticketId, onInsert }: CannedPickerProps) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size="sm" aria-haspopup="dialog" onClick={() => setOpen(true)}>
        Canned responses
      </Button>
      {open ? (
        <CannedDialog
          ticketId={ticketId}
          onClose={() => setOpen(false)}
          onInsert={(text) => {
            onInsert(text);
            setOpen(false);
          }}
        />
      ) : null}
    </>
  );
}

type View = { kind: "list" } | { kind: "new" } | { kind: "edit"; response: CannedResponse };

function CannedDialog({ ticketId, onClose, onInsert }: CannedPickerProps & { onClose: () => void }) {
  const [view, setView] = useState<View>({ kind: "list" });
  const [typed, setTyped] = useState("");
  const [search, setSearch] = useState("");
  const searchRef = useRef<HTMLInputElement>(null);
  const responses = useCannedResponses(search);
  const render = useRenderCannedResponse(ticketId);
  const remove = useDeleteCannedResponse();
  const [confirming, setConfirming] = useState<string | null>(null);

  useEffect(() => {
    const value = typed.trim();
    if (value === search) return undefined;
    const timer = setTimeout(() => setSearch(value), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [typed, search]);

  const backToList = () => {
    setView({ kind: "list" });
    requestAnimationFrame(() => searchRef.current?.focus());
  };

  const title = view.kind === "new" ? "New canned response" : view.kind === "edit" ? "Edit canned response" : "Canned responses";

  let content;
  if (view.kind !== "list") {
    content = <CannedForm response={view.kind === "edit" ? view.response : undefined} onDone={backToList} />;
  } else {
    const list = responses.data ?? [];
    content = (
      <div className="canned">
        <div className="canned-top">
          <div className="filter canned-search">
            <label htmlFor="canned-search" className="filter-label">
              Search responses
            </label>
            <input
              ref={searchRef}
              id="canned-search"
              className="input"
              type="search"
              value={typed}
              onChange={(event) => setTyped(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === "Enter") {
                  event.preventDefault();
                  setSearch(typed.trim());
                }
              }}
            />
          </div>
          <Button onClick={() => setView({ kind: "new" })}>New response</Button>
        </div>
        {render.isError ? <Alert>The response could not be filled in: {errorMessage(render.error)}</Alert> : null}
        {remove.isError ? <Alert>The response could not be deleted: {errorMessage(remove.error)}</Alert> : null}
        {responses.isPending ? (
          <p role="status" className="muted">
            Loading responses…
          </p>
        ) : responses.isError ? (
          <Alert>The responses could not be loaded: {errorMessage(responses.error)}</Alert>
        ) : list.length === 0 ? (
          <EmptyState title={search ? "No responses match this search." : "There are no canned responses yet."}>
            Create one to answer common questions in a click.
          </EmptyState>
        ) : (
          <ul className="canned-list" aria-label="Responses" aria-busy={responses.isPlaceholderData || undefined}>
            {list.map((response) => (
              <li key={response.id} className="canned-item">
                <div className="canned-item-head">
                  <h3 className="canned-title">{response.title}</h3>
                  <span className="canned-owner">{response.shared ? `Shared by ${response.owner.name}` : "Only you"}</span>
                </div>
                <p className="canned-body">{response.body}</p>
                {confirming === response.id ? (
                  <div className="canned-actions" role="group" aria-label={`Delete “${response.title}”?`}>
                    <span>Delete this response?</span>
                    <Button
                      size="sm"
                      variant="danger"
                      busy={remove.isPending}
                      onClick={() =>
                        remove.mutate(response.id, {
                          onSuccess: () => {
                            setConfirming(null);
                            searchRef.current?.focus();
                          },
                        })
                      }
                    >
                      Delete
                    </Button>
                    <Button size="sm" autoFocus onClick={() => setConfirming(null)} disabled={remove.isPending}>
                      Keep it
                    </Button>
                  </div>
                ) : (
                  <div className="canned-actions">
                    <Button
                      size="sm"
                      variant="primary"
                      aria-label={`Insert “${response.title}”`}
                      busy={render.isPending && render.variables === response.id}
                      disabled={render.isPending}
                      onClick={() => render.mutate(response.id, { onSuccess: ({ body }) => onInsert(body) })}
                    >
                      Insert
                    </Button>
                    {response.can_edit ? (
                      <>
                        <Button size="sm" aria-label={`Edit “${response.title}”`} onClick={() => setView({ kind: "edit", response })}>
                          Edit
                        </Button>
                        <Button size="sm" variant="ghost" aria-label={`Delete “${response.title}”`} onClick={() => setConfirming(response.id)}>
                          Delete
                        </Button>
                      </>
                    ) : null}
                  </div>
                )}
              </li>
            ))}
          </ul>
        )}
      </div>
    );
  }

  return (
    <Dialog
      open
      title={title}
      onClose={onClose}
      size="lg"
      initialFocusRef={searchRef}
      locked={render.isPending}
      description={view.kind === "list" ? "Insert puts the text, filled in for this ticket, into the composer." : undefined}
    >
      {content}
    </Dialog>
  );
}
