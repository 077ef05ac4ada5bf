"""The support domain's outgoing events.

Services send `ticket_changed` inside the transaction that makes the change, with the objects
involved. Notifications and live updates listen here, so the support domain does not need to
know who is told what. A listener writes its own rows in the same transaction (so nothing is lost
when the write commits) and schedules anything external with `transaction.on_commit` (so nothing
is sent for a write that rolled back).

kind                 keyword arguments besides `ticket` and `actor`
ticket_created       message (the first message)
ticket_updated       -
ticket_assigned      agent (None when unassigned)
ticket_escalated     reason
message_created      message
attachment_added     message, attachment
"""

from django.dispatch import Signal

ticket_changed = Signal()
