"""Mail delivered by a provider's inbound webhook (django-anymail) joins the same path as the
other two: stored raw as an InboundEmail, then processed on the task queue."""

from __future__ import annotations

from typing import Any

from anymail.signals import inbound
from django.dispatch import receiver

from desk.mail.models import Channel


@receiver(inbound, dispatch_uid="desk.mail.inbound")
def provider_inbound(sender: Any, event: Any, esp_name: str, **kwargs: Any) -> None:
    from desk.mail import services

    services.inbound_receive(raw=event.message.as_bytes(), channel=Channel.WEBHOOK)
