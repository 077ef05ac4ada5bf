import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { aMessage, aUser } from "@/testing/data";
import { MessageItem } from "./message-item";

describe("a caller's words entered by an agent", () => {
  const agent = aUser({ id: "user-alice", name: "Alice Agent", role: "agent", is_staff: true });
  const customer = aUser({ id: "user-dave", name: "Dave Provider" });
  const message = aMessage({
    sender: { id: "user-dave", name: "Dave Provider", is_staff: false },
    is_from_customer: true,
    entered_by: { id: "user-alice", name: "Alice Agent", is_staff: true },
  });

  it("are the customer's, marked as entered by the agent", () => {
    render(
      <ul>
        <MessageItem message={message} viewer={agent} />
      </ul>,
    );
    expect(screen.getByRole("article", { name: "Dave Provider wrote, entered by you" })).toBeInTheDocument();
    expect(screen.getByText("Entered by you")).toBeInTheDocument();
  });

  it("show the customer who took them down", () => {
    render(
      <ul>
        <MessageItem message={message} viewer={customer} />
      </ul>,
    );
    expect(screen.getByRole("article", { name: "You wrote, entered by Alice Agent" })).toBeInTheDocument();
  });
});

describe("a message that came by email", () => {
  const agent = aUser({ id: "user-alice", name: "Alice Agent", role: "agent", is_staff: true });
  const customer = aUser();
  const emailed = aMessage({ via: "email", email_from: "carol.home@example.net" });

  it("shows staff the address it came from", () => {
    render(
      <ul>
        <MessageItem message={emailed} viewer={agent} />
      </ul>,
    );
    expect(screen.getByRole("article")).toHaveTextContent("via email from carol.home@example.net");
  });

  it("shows the customer only that it came by email", () => {
    render(
      <ul>
        <MessageItem message={emailed} viewer={customer} />
      </ul>,
    );
    const article = screen.getByRole("article");
    expect(article).toHaveTextContent("via email");
    expect(article).not.toHaveTextContent("carol.home@example.net");
  });

  it("says nothing of email for a message written in the app", () => {
    render(
      <ul>
        <MessageItem message={aMessage({ via: "web" })} viewer={agent} />
      </ul>,
    );
    expect(screen.getByRole("article")).not.toHaveTextContent("via email");
  });
});
