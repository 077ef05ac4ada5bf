import { useId } from "react";

/** Reply to the customer, or write an internal note only staff see. Native radios: arrow keys work. */
export function NoteToggle({ note, onChange }: { note: boolean; onChange: (note: boolean) => void }) {
  const name = useId();
  return (
    <fieldset className="mode-switch">
      <legend className="visually-hidden">Message type</legend>
      <label className={`mode-option${note ? "" : " mode-option-active"}`}>
        <input type="radio" name={name} value="reply" checked={!note} onChange={() => onChange(false)} />
        Reply to customer
      </label>
      <label className={`mode-option mode-option-note${note ? " mode-option-active" : ""}`}>
        <input type="radio" name={name} value="note" checked={note} onChange={() => onChange(true)} />
        Internal note
      </label>
    </fieldset>
  );
}
