"""What makes our emails thread, and replies to them find their ticket again.

Every email has its own Message-ID under the desk's domain. A ticket's emails carry a reply
address naming the ticket, `<local>+t<number>-<signature>@<domain>`, signed with the secret key
so that a forged or altered address names nothing; the inbound side reads it back with
`ticket_number_from_address`.
"""

from __future__ import annotations

import re
import uuid
from email.utils import parseaddr

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

SIGNATURE_LENGTH = 16
_TOKEN = re.compile(r"^t(?P<number>[1-9][0-9]{0,17})-(?P<signature>[0-9a-f]{16})$")


def desk_address() -> str:
    """The address customers write to (INBOUND_EMAIL_ADDRESS, else DEFAULT_FROM_EMAIL's)."""
    address = settings.INBOUND_EMAIL_ADDRESS or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.strip().lower()


def desk_domain() -> str:
    return desk_address().rpartition("@")[2] or "localhost"


def own_addresses() -> frozenset[str]:
    """Addresses that are ours: mail from them is never answered nor made a ticket (a loop)."""
    addresses = {desk_address(), parseaddr(settings.DEFAULT_FROM_EMAIL)[1].lower()}
    addresses.update(address.strip().lower() for address in settings.OWN_EMAIL_ADDRESSES)
    return frozenset(address for address in addresses if address)


def new_message_id() -> str:
    """A Message-ID for one email (without the angle brackets)."""
    return f"{uuid.uuid4().hex}@{desk_domain()}"


def _signature(number: int) -> str:
    return salted_hmac("desk.reply-address", f"ticket:{number}", algorithm="sha256").hexdigest()[:SIGNATURE_LENGTH]


def reply_address(number: int) -> str:
    local, _, domain = desk_address().partition("@")
    return f"{local}+t{number}-{_signature(number)}@{domain}"


def ticket_number_from_address(address: str) -> int | None:
    """The ticket number a reply address names, if its signature holds; None otherwise."""
    local, _, domain = (address or "").strip().lower().rpartition("@")
    desk_local, _, desk_domain_ = desk_address().partition("@")
    base, plus, token = local.partition("+")
    if not plus or base != desk_local or domain != desk_domain_:
        return None
    match = _TOKEN.match(token)
    if match is None:
        return None
    number = int(match["number"])
    if not constant_time_compare(match["signature"], _signature(number)):
        return None
    return number


def subject_tag(number: int) -> str:
    return f"[#{number}]"


SUBJECT_TAG = re.compile(r"\[#(?P<number>[1-9][0-9]{0,17})\]")
