import { useEffect, useRef, useState, type KeyboardEvent, type RefObject } from "react";
import { Button } from "@/components/ui/button";
import { FieldShell, describedBy } from "@/components/ui/field";
import { errorMessage } from "@/lib/api-client";
import type { UserBrief } from "@/lib/types";
import { useCustomers } from "@/features/staff/api/get-customers";
import type { Customer } from "@/features/staff/types";

const SEARCH_DELAY_MS = 250;

export interface CustomerPickerProps {
  /** The search box's id, so a form can send focus to it. */
  id: string;
  value: UserBrief | null;
  onChange: (customer: UserBrief | null) => void;
  /** The agent left the search box with something typed but nothing chosen. */
  onBlur?: () => void;
  error?: string;
  disabled?: boolean;
  inputRef?: RefObject<HTMLInputElement | null>;
}

function ticketCount(count: number): string {
  return count === 1 ? "1 ticket" : `${count} tickets`;
}

/**
 * Find a customer by name or email: a combobox (ARIA 1.2, list autocomplete) whose listbox
 * shows the matches as the agent types. Arrow keys move through them, Enter chooses, Escape
 * closes the list (or clears the text). Once chosen, the customer is shown with "Change".
 */
export function CustomerPicker({ id, value, onChange, onBlur, error, disabled = false, inputRef }: CustomerPickerProps) {
  const ownInput = useRef<HTMLInputElement>(null);
  const input = inputRef ?? ownInput;
  const changeRef = useRef<HTMLButtonElement>(null);
  // Where focus goes once the choice has rendered: the search box goes away when one is made.
  const focusAfter = useRef<"input" | "change" | null>(null);
  const [text, setText] = useState("");
  const [search, setSearch] = useState("");
  const [open, setOpen] = useState(false);
  const [activeId, setActiveId] = useState<string | null>(null);

  useEffect(() => {
    const wanted = text.trim();
    if (wanted === search) return undefined;
    if (!wanted) {
      setSearch("");
      return undefined;
    }
    const timer = setTimeout(() => setSearch(wanted), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, search]);

  useEffect(() => {
    if (focusAfter.current === "change") changeRef.current?.focus();
    else if (focusAfter.current === "input") input.current?.focus();
    focusAfter.current = null;
  }, [value, input]);

  const customers = useCustomers(search, { enabled: search !== "" && value === null });
  const results: Customer[] = search ? (customers.data?.results ?? []) : [];
  const total = customers.data?.count ?? 0;
  const index = results.findIndex((customer) => customer.id === activeId);
  const expanded = open && !disabled && results.length > 0;
  const listId = `${id}-listbox`;
  const optionId = (customer: Customer) => `${id}-option-${customer.id}`;

  useEffect(() => {
    const active = index >= 0 ? document.getElementById(optionId(results[index]!)) : null;
    active?.scrollIntoView?.({ block: "nearest" });
    // Only a change of the active option scrolls the list.
  }, [activeId]);

  let message: string | null = null;
  if (search && open) {
    if (customers.isError && !customers.isPlaceholderData) {
      message = `Customers could not be loaded: ${errorMessage(customers.error)}`;
    } else if (customers.isPending) {
      message = "Searching…";
    } else if (results.length === 0 && !customers.isPlaceholderData) {
      message = `No customer matches “${search}”.`;
    }
  }
  const more = expanded && total > results.length ? `Showing ${results.length} of ${total}: type more to narrow the list.` : null;
  let announcement = "";
  if (expanded) {
    announcement = `${total === 1 ? "1 customer" : `${total} customers`} found. Use the up and down arrows to choose.`;
  } else if (message && message !== "Searching…") {
    announcement = message;
  }

  const choose = (customer: Customer) => {
    focusAfter.current = "change";
    setText("");
    setSearch("");
    setOpen(false);
    setActiveId(null);
    onChange({ id: customer.id, email: customer.email, name: customer.name });
  };

  const move = (step: 1 | -1) => {
    if (results.length === 0) return;
    setOpen(true);
    let next: number;
    if (!expanded || index < 0) next = step === 1 ? 0 : results.length - 1;
    else next = (index + step + results.length) % results.length;
    setActiveId(results[next]!.id);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    switch (event.key) {
      case "ArrowDown":
      case "ArrowUp":
        event.preventDefault();
        move(event.key === "ArrowDown" ? 1 : -1);
        break;
      case "Enter":
        if (!expanded) break;
        // Enter in an open list chooses; it never submits the form.
        event.preventDefault();
        if (index >= 0) choose(results[index]!);
        else if (results.length === 1) choose(results[0]!);
        break;
      case "Escape":
        // Handled here, so the dialog around the picker stays open.
        if (open && (expanded || message)) {
          event.preventDefault();
          event.stopPropagation();
          setOpen(false);
          setActiveId(null);
        } else if (text) {
          event.preventDefault();
          event.stopPropagation();
          setText("");
        }
        break;
      case "Tab":
        setOpen(false);
        break;
      default:
        break;
    }
  };

  if (value) {
    const labelId = `${id}-label`;
    return (
      <div className={`field${error ? " field-invalid" : ""}`}>
        <span id={labelId} className="field-label">
          Customer
        </span>
        <div
          className="picked-customer"
          role="group"
          aria-labelledby={labelId}
          aria-describedby={error ? `${id}-error` : undefined}
        >
          <p className="picked-customer-text">
            <span className="customer-name">{value.name || value.email}</span>
            {value.name && value.name !== value.email ? (
              <>
                {" "}
                <span className="customer-email">{value.email}</span>
              </>
            ) : null}
          </p>
          <Button
            ref={changeRef}
            id={`${id}-change`}
            size="sm"
            aria-label="Change customer"
            disabled={disabled}
            onClick={() => {
              focusAfter.current = "input";
              onChange(null);
            }}
          >
            Change
          </Button>
        </div>
        {error ? (
          <p id={`${id}-error`} className="field-error">
            {error}
          </p>
        ) : null}
      </div>
    );
  }

  const hint = "Search by name or email.";
  return (
    <FieldShell id={id} label="Customer" required error={error} hint={hint}>
      <div className="combobox">
        <input
          ref={input}
          id={id}
          className="input"
          type="text"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={expanded ? listId : undefined}
          aria-activedescendant={expanded && index >= 0 ? optionId(results[index]!) : undefined}
          aria-required
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, hint, error)}
          autoComplete="off"
          spellCheck={false}
          placeholder="Name or email"
          value={text}
          disabled={disabled}
          onChange={(event) => {
            setText(event.target.value);
            setOpen(true);
            setActiveId(null);
          }}
          onClick={() => setOpen(true)}
          onKeyDown={onKeyDown}
          onBlur={() => {
            setOpen(false);
            if (text.trim()) onBlur?.();
          }}
        />
        {expanded ? (
          <div className="combobox-popup">
            <ul
              id={listId}
              role="listbox"
              aria-label="Matching customers"
              className="combobox-list"
              aria-busy={customers.isPlaceholderData || undefined}
            >
              {results.map((customer, position) => (
                <li
                  key={customer.id}
                  id={optionId(customer)}
                  role="option"
                  aria-selected={position === index}
                  className="combobox-option"
                  // Keep focus in the search box: choosing is the click's job.
                  onMouseDown={(event) => event.preventDefault()}
                  onMouseMove={() => activeId !== customer.id && setActiveId(customer.id)}
                  onClick={() => choose(customer)}
                >
                  <span className="combobox-option-name">{customer.name || customer.email}</span>{" "}
                  {customer.name && customer.name !== customer.email ? (
                    <>
                      <span className="combobox-option-email">{customer.email}</span>{" "}
                    </>
                  ) : null}
                  <span className="combobox-option-meta">
                    {customer.role === "provider" ? "Provider · " : ""}
                    {ticketCount(customer.ticket_count)}
                  </span>
                </li>
              ))}
            </ul>
            {more ? <p className="combobox-more">{more}</p> : null}
          </div>
        ) : message ? (
          <div className="combobox-popup">
            <p className={customers.isError ? "combobox-message side-error" : "combobox-message"}>{message}</p>
          </div>
        ) : null}
      </div>
      <p role="status" className="visually-hidden">
        {announcement}
      </p>
    </FieldShell>
  );
}
