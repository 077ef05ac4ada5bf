"""Clients for system tests: real HTTP against a server process."""

from __future__ import annotations

from typing import Any

import requests

from conftest import token_for


def sign_in(user: Any) -> requests.Session:
    """A session carrying a bearer token for `user` (minted here; the server shares the key)."""
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token_for(user)}"
    return session


def call(session: requests.Session, method: str, url: str, **kwargs: Any) -> requests.Response:
    return session.request(method, url, timeout=60, **kwargs)
