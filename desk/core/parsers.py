"""Request body parsers for the API: DRF's, hardened so that no body, however malformed, is a 500."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser


class SafeJSONParser(JSONParser):
    """JSON, refusing absurdly nested documents (`[[[[…`) as malformed rather than crashing."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict[str, Any] | None = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError("JSON parse error - the document is nested too deeply.") from exc


API_PARSERS = [SafeJSONParser, MultiPartParser, FormParser]
