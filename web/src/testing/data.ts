/** Builders for API shapes used by the unit tests. */
import type {
  Attachment,
  InboundEmail,
  Message,
  Page,
  Ticket,
  TicketDetail,
  TicketListItem,
  User,
} from "@/lib/types";

let counter = 0;
const id = (prefix: string) => `${prefix}-${(counter += 1).toString().padStart(4, "0")}`;
/** Ticket numbers for list rows: distinct, and apart from the detail's #1042. */
let ticketNumber = 2000;

export function aUser(overrides: Partial<User> = {}): User {
  return {
    id: "user-carol",
    email: "carol@example.com",
    first_name: "Carol",
    last_name: "Customer",
    name: "Carol Customer",
    role: "customer",
    is_staff: false,
    is_active: true,
    date_joined: "2026-01-01T10:00:00Z",
    ...overrides,
  };
}

export function aTicketListItem(overrides: Partial<TicketListItem> = {}): TicketListItem {
  return {
    id: id("ticket"),
    number: (ticketNumber += 1),
    title: "Charged twice",
    status: "open",
    priority: "medium",
    category: "billing",
    escalated: false,
    assigned_agent: null,
    customer: { id: "user-carol", email: "carol@example.com", name: "Carol Customer" },
    source: "web",
    tags: [],
    last_message_snippet: "I see two charges",
    unread_count: 0,
    created_at: new Date(Date.now() - 3600_000).toISOString(),
    updated_at: new Date(Date.now() - 600_000).toISOString(),
    closed_at: null,
    ...overrides,
  };
}

export function aPage<T>(results: T[], overrides: Partial<Page<T>> = {}): Page<T> {
  return { count: results.length, next: null, previous: null, results, ...overrides };
}

export function aMessage(overrides: Partial<Message> = {}): Message {
  return {
    id: id("message"),
    ticket: "ticket-1",
    sender: { id: "user-carol", name: "Carol Customer", is_staff: false },
    message_text: "Hello",
    created_at: new Date(Date.now() - 300_000).toISOString(),
    is_from_customer: true,
    is_internal: false,
    read_by_customer: true,
    read_by_staff: false,
    via: "web",
    email_from: "",
    attachments: [],
    ...overrides,
  };
}

export function anAttachment(overrides: Partial<Attachment> = {}): Attachment {
  const attachmentId = overrides.id ?? id("attachment");
  return {
    id: attachmentId,
    ticket: "ticket-1",
    message: null,
    uploaded_by: "user-carol",
    filename: "screenshot.png",
    file_size: 2048,
    content_type: "image/png",
    is_image: true,
    created_at: new Date().toISOString(),
    download_url: `/api/support/attachments/${attachmentId}/download/`,
    ...overrides,
  };
}

export function aTicket(overrides: Partial<TicketDetail> = {}): TicketDetail {
  return {
    id: "ticket-1",
    number: 1042,
    title: "Charged twice",
    customer: { id: "user-carol", email: "carol@example.com", name: "Carol Customer" },
    category: "billing",
    status: "open",
    priority: "high",
    assigned_agent: null,
    escalated: false,
    source: "web",
    tags: [],
    created_at: new Date(Date.now() - 3600_000).toISOString(),
    updated_at: new Date(Date.now() - 300_000).toISOString(),
    closed_at: null,
    follows: null,
    messages: [aMessage({ message_text: "I see two charges" })],
    ...overrides,
  };
}

/** The ticket a live `ticket.updated` event carries: its own fields, without the conversation. */
export function aLiveTicket(overrides: Partial<Ticket> = {}): Ticket {
  const { messages: _messages, follows: _follows, ...ticket } = aTicket();
  return { ...ticket, ...overrides };
}

/** A mail that reached a ticket, as staff see it. */
export function anInboundEmail(overrides: Partial<InboundEmail> = {}): InboundEmail {
  const emailId = overrides.id ?? id("email");
  return {
    id: emailId,
    message_id: `<${emailId}@mail.example.com>`,
    channel: "imap",
    from_address: "carol@example.com",
    from_name: "Carol Customer",
    subject: "Re: [#1042] Charged twice",
    status: "processed",
    reason: "",
    message: null,
    opened_ticket: false,
    size: 4096,
    received_at: new Date(Date.now() - 600_000).toISOString(),
    processed_at: new Date(Date.now() - 590_000).toISOString(),
    full_text: "I see two charges",
    raw_url: `/api/support/inbound-emails/${emailId}/raw/`,
    ...overrides,
  };
}
