"""The support domain's outgoing events, sent after the write that caused them has committed.

Notifications and live updates listen here, so that the support domain does not need to know who
is told what. Payloads carry ids only; listeners load what they need.

kinds: ticket_created, ticket_updated, ticket_assigned, ticket_escalated, message_created,
attachment_added.
"""

from django.dispatch import Signal

ticket_changed = Signal()
