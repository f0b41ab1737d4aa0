"""Reading uploaded files from a request, for the pages and the API alike."""

from flask import request

from memi.errors import PayloadTooLarge
from memi.limits import max_image_bytes, photo_too_large_message


def read_uploads(field="files"):
    """The uploaded files' bytes, each capped before it is read whole."""
    limit = max_image_bytes()
    files = [f for f in request.files.getlist(field) if f and f.filename is not None]
    out = []
    for f in files:
        data = f.stream.read(limit + 1)
        if len(data) > limit:
            message = photo_too_large_message(limit)
            raise PayloadTooLarge(message, fields={field: [message]})
        if data:
            out.append(data)
    return out
