/** The API's shapes (SPEC "Endpoints"), shared by every feature. */

export type Role = "customer" | "provider" | "agent" | "admin";
/** `pending` waits on the customer: only staff set it, and a customer's reply moves it back. */
export type TicketStatus = "open" | "in_progress" | "pending" | "resolved" | "closed";
export type TicketPriority = "low" | "medium" | "high" | "urgent";
export type TicketCategory = "billing" | "technical" | "account" | "service" | "general";
/** How the ticket reached support; only staff record `email` and `phone`. */
export type TicketSource = "web" | "mobile" | "email" | "phone";

export const STATUSES: TicketStatus[] = ["open", "in_progress", "pending", "resolved", "closed"];
export const PRIORITIES: TicketPriority[] = ["low", "medium", "high", "urgent"];
export const CATEGORIES: TicketCategory[] = ["billing", "technical", "account", "service", "general"];
export const SOURCES: TicketSource[] = ["phone", "email", "web", "mobile"];
/** How a message reached support (a customer's emailed reply is `email`). */
export type MessageVia = "web" | "mobile" | "email" | "phone";

export const TITLE_MAX_LENGTH = 255;
export const MESSAGE_MAX_LENGTH = 5000;
export const TAG_MAX_LENGTH = 50;
export const MAX_TAGS = 20;

export interface User {
  id: string;
  email: string;
  first_name: string;
  last_name: string;
  name: string;
  role: Role;
  is_staff: boolean;
  is_active: boolean;
  /** Staff in the triage group hear of new tickets and of replies on unassigned ones. */
  triage?: boolean;
  date_joined: string;
}

export interface UserBrief {
  id: string;
  email: string;
  name: string;
}

export interface Person {
  id: string;
  name: string;
  is_staff: boolean;
}

export interface Attachment {
  id: string;
  ticket: string;
  message: string | null;
  uploaded_by: string | null;
  filename: string;
  file_size: number;
  content_type: string;
  is_image: boolean;
  created_at: string;
  download_url: string;
}

export interface Message {
  id: string;
  ticket: string;
  sender: Person | null;
  message_text: string;
  created_at: string;
  is_from_customer: boolean;
  is_internal: boolean;
  read_by_customer: boolean;
  read_by_staff: boolean;
  /** The agent who typed a caller's words in (the sender is then the customer), or null. */
  entered_by?: Person | null;
  /** The channel it came in by. */
  via: MessageVia;
  /** The sender's address when it arrived by email, else "". */
  email_from: string;
  attachments: Attachment[];
}

// --- service levels (staff only; docs/sla.md) ---------------------------------------------

export type SlaTargetName = "first_response" | "next_response" | "resolution";
/** `idle`: a next response with no customer message waiting. */
export type SlaTargetState = "running" | "paused" | "idle" | "met" | "breached";

/** One promise of a ticket's policy, as last evaluated by the server. */
export interface SlaTarget {
  name: SlaTargetName;
  /** The target in business minutes. */
  minutes: number;
  state: SlaTargetState;
  /** Null once met, while paused, and for an idle next response; a breached target keeps it. */
  due_at: string | null;
  /** From then on, less than 25% of the target's time is left. */
  at_risk_at: string | null;
  met_at: string | null;
  /** Business minutes left when the ticket was last evaluated (exact while paused). */
  remaining_minutes: number;
}

/** A ticket's service level: which policy applies and where each of its clocks stands. */
export interface Sla {
  policy: { id: string; name: string };
  first_response_due_at: string | null;
  next_response_due_at: string | null;
  resolution_due_at: string | null;
  /** The earliest due time of a target not yet met; null while paused or when nothing is due. */
  next_breach_at: string | null;
  /** When that next target comes to have less than 25% of its time left. */
  at_risk_at: string | null;
  /** Targets missed, whether still unmet or met late. */
  breached: SlaTargetName[];
  /** While the ticket is pending, resolved or closed. */
  paused: boolean;
  targets: SlaTarget[];
}

/** A ticket's own fields (the API's `Ticket`): what a live `ticket.updated` event carries. */
export interface Ticket {
  id: string;
  /** The ticket's number (positive, unique, never reused), shown as `#1042`; the id stays the key. */
  number: number;
  title: string;
  customer: UserBrief;
  category: TicketCategory;
  status: TicketStatus;
  priority: TicketPriority;
  assigned_agent: UserBrief | null;
  escalated: boolean;
  source: string;
  tags: string[];
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  /** Staff only (customers never get it): null when no SLA policy applies. */
  sla?: Sla | null;
}

/** A row of the ticket list: the ticket with the viewer's snippet and unread count. */
export interface TicketListItem extends Ticket {
  last_message_snippet: string | null;
  unread_count: number;
}

/** Another ticket named by a ticket (enough to link to it). */
export interface TicketRef {
  id: string;
  number: number;
  title: string;
}

/** A ticket with the conversation the viewer may see. */
export interface TicketDetail extends Ticket {
  /** The closed ticket this one continues (the customer mailed about it after it was closed), or null. */
  follows: TicketRef | null;
  messages: Message[];
}

// --- inbound email (staff only) -----------------------------------------------------------

export type InboundEmailChannel = "imap" | "http" | "webhook";
export type InboundEmailStatus = "received" | "processed" | "ignored" | "failed";

/** One mail that reached support for a ticket, as staff see it (`GET tickets/{id}/emails/`). */
export interface InboundEmail {
  id: string;
  message_id: string;
  channel: InboundEmailChannel;
  from_address: string;
  from_name: string;
  subject: string;
  status: InboundEmailStatus;
  /** Why it was ignored or failed (an auto-reply, a deactivated account…), else "". */
  reason: string;
  /** The id of the message it became, or null (ignored, failed, not yet processed). */
  message: string | null;
  /** It opened this ticket. */
  opened_ticket: boolean;
  size: number;
  received_at: string;
  processed_at: string | null;
  /** The whole text, quoted history and signature included. */
  full_text: string;
  /** The original mail (`message/rfc822`, an `.eml`), fetched with the bearer token. */
  raw_url: string;
}

export interface Page<T> {
  /** Exact up to 10,000 matches; above that the server's estimate (then `count_exact` is false). */
  count: number;
  count_exact?: boolean;
  next: string | null;
  previous: string | null;
  results: T[];
}

// --- notifications and live updates (issue 5) ---------------------------------------------

export interface AppNotification {
  id: string;
  kind: string;
  text: string;
  ticket: string | null;
  /** The title of the ticket it is about (null without one); the list and live events carry it. */
  ticket_title?: string | null;
  message?: string | null;
  /** How many notices it stands for: repeated ones about a ticket are grouped while unread. */
  count?: number;
  created_at: string;
  read_at: string | null;
}

/** Email kinds a user can turn on or off ({kind: enabled}). */
export interface EmailPreferences {
  email: Record<string, boolean>;
}

/** What the server sends over the websocket. */
export type ServerEvent =
  | { type: "hello"; user: string }
  | { type: "pong" }
  | { type: "message.created"; ticket: string; message: Message }
  | { type: "ticket.updated"; ticket: Ticket }
  /** Staff only: a ticket's service level changed (an alert, a breach, a re-evaluation). */
  | { type: "ticket.sla"; ticket: string; sla: Sla | null }
  | { type: "notification.created"; notification: AppNotification };
