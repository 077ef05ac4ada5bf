"""Upload handling that never holds a whole file in memory and stops counting bytes at the limit.

Every uploaded file streams to a temporary file on disk. Once a file passes
`ATTACHMENT_MAX_BYTES`, the handler stops storing it, discards the rest of the body, and marks
the request so the view can answer `file_too_large` instead of receiving a truncated file.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.files.storage import Storage
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


# --- files written inside a transaction -----------------------------------------------------
#
# A file reaches storage before the row that names it commits. Code that writes several rows and
# files at once (a mail: its ticket, message and attachments) runs under `stored_files_guard`, and
# every file saved on the way is removed again if the block fails: no orphan files, no lost rows.

_guarded: ContextVar[list[tuple[Storage, str]] | None] = ContextVar("desk_guarded_files", default=None)


@contextmanager
def stored_files_guard() -> Iterator[None]:
    """Guards nest like transactions: the files of an inner block that succeeded are the outer
    block's to remove if it fails."""
    outer = _guarded.get()
    stored: list[tuple[Storage, str]] = []
    token = _guarded.set(stored)
    try:
        yield
    except BaseException:
        for storage, name in stored:
            storage.delete(name)
        raise
    finally:
        _guarded.reset(token)
    if outer is not None:
        outer.extend(stored)


def note_stored(storage: Storage, name: str) -> None:
    """Tell the surrounding guard (if any) that this file was written."""
    stored = _guarded.get()
    if stored is not None:
        stored.append((storage, name))
