"""The product carries its own docs: every link in them leads somewhere in the repository, and
every API route is in the contract (docs/api.md), so a new endpoint cannot go undocumented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parents[3]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / "bench" / "README.md"]
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


@pytest.mark.parametrize("doc", DOCS, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_link_in_the_docs_leads_inside_the_repository(doc: Path) -> None:
    broken = []
    for target in LINK.findall(doc.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target):  # http:, https:, mailto:
            continue
        path = (doc.parent / target).resolve()
        if not path.exists() or ROOT not in path.parents:
            broken.append(target)
    assert not broken, f"{doc.name} links to what a clone does not have: {broken}"


def _routes(patterns: list, prefix: str = "") -> list[str]:
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found += _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            found.append(prefix + str(pattern.pattern))
    return found


def test_every_api_route_is_in_the_contract() -> None:
    contract = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    documented = set()
    for section in re.findall(r"`([^`]*/)`", contract):
        documented.add(re.sub(r"\{[^}]+\}", "<>", section))
    missing = []
    for route in _routes(get_resolver().url_patterns):
        if not route.startswith("api/") or route.startswith(("api/schema", "api/docs")) or "(" in route:
            continue
        relative = re.sub(r"^api/(auth|support|notifications)/", "", route)
        if relative == route:  # an endpoint outside the three prefixes is documented with its whole path
            relative = "/" + route
        shape = re.sub(r"<[^>]+>", "<>", relative)
        if shape and shape not in documented:
            missing.append(route)
    assert not missing, f"Routes missing from docs/api.md: {missing}"


def test_every_operation_in_the_schema_says_what_it_does_in_its_own_words(client) -> None:
    """Swagger UI shows each operation's description: a view without its own docstring would
    show a base class's words about rate limiting or permissions instead."""
    import inspect

    from desk.core.apis import BaseApi, ThrottleFirstMixin

    inherited = {inspect.getdoc(BaseApi), inspect.getdoc(ThrottleFirstMixin)}
    from desk.workspace.apis import StaffApi

    inherited.add(inspect.getdoc(StaffApi))
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    wrong = [
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if not operation.get("description") or operation["description"].strip() in inherited
    ]
    assert not wrong, wrong
