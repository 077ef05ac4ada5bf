"""Upload handling that never holds a whole file in memory and stops counting bytes at the limit.

Every uploaded file streams to a temporary file on disk. Once a file passes
`ATTACHMENT_MAX_BYTES`, the handler stops storing it, discards the rest of the body, and marks
the request so the view can answer `file_too_large` instead of receiving a truncated file.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler


class LimitedTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    def new_file(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super(TemporaryFileUploadHandler, self).new_file(*args, **kwargs)
        # Django would name the temporary file after the upload's extension, and an absurd one
        # (hundreds of characters) is too long for the file system. The upload keeps its own name.
        self.file = TemporaryUploadedFile("upload", self.content_type, 0, self.charset, self.content_type_extra)
        self.file.name = self.file_name
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > settings.ATTACHMENT_MAX_BYTES:
            self.file.close()  # a NamedTemporaryFile: closing removes it from disk
            if self.request is not None:
                self.request.upload_too_large = True
            raise StopUpload(connection_reset=False)
        return super().receive_data_chunk(raw_data, start)


def upload_was_too_large(request: object) -> bool:
    django_request = getattr(request, "_request", request)
    return bool(getattr(django_request, "upload_too_large", False))
