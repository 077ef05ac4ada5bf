from __future__ import annotations

import factory

from desk.accounts.models import Role, User

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    role = Role.CUSTOMER

    @factory.post_generation
    def password(self, create: bool, extracted: str | None, **kwargs: object) -> None:
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])


class CustomerFactory(UserFactory):
    role = Role.CUSTOMER


class ProviderFactory(UserFactory):
    role = Role.PROVIDER


class AgentFactory(UserFactory):
    role = Role.AGENT
    email = factory.Sequence(lambda n: f"agent{n}@example.com")


class AdminFactory(UserFactory):
    role = Role.ADMIN
    is_superuser = True
    email = factory.Sequence(lambda n: f"admin{n}@example.com")
