"""Schemathesis hooks for the fuzz test: the raw mail endpoint takes `message/rfc822`, sent as
the bytes schemathesis generates for a binary body."""

import schemathesis

schemathesis.serializer.alias("message/rfc822", "application/octet-stream")
