from __future__ import annotations

import factory

from desk.accounts.tests.factories import CustomerFactory
from desk.support.models import Message, Ticket


class TicketFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ticket

    title = factory.Faker("sentence", nb_words=5)
    customer = factory.SubFactory(CustomerFactory)
    category = "general"


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    ticket = factory.SubFactory(TicketFactory)
    sender = factory.LazyAttribute(lambda m: m.ticket.customer)
    message_text = factory.Faker("paragraph")
    is_from_customer = factory.LazyAttribute(lambda m: m.sender is not None and m.sender.pk == m.ticket.customer_id)
    read_by_customer = factory.LazyAttribute(lambda m: m.is_from_customer)
    read_by_staff = factory.LazyAttribute(lambda m: not m.is_from_customer)
