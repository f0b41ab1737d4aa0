"""Reading uploaded files from a request, for the pages and the API alike."""

from flask import current_app, request

from memi.errors import PayloadTooLarge


def read_uploads(field="files"):
    """The uploaded files' bytes, each capped before it is read whole."""
    limit = current_app.config.get("MAX_IMAGE_BYTES", 10 * 1024 * 1024)
    files = [f for f in request.files.getlist(field) if f and f.filename is not None]
    out = []
    for f in files:
        data = f.stream.read(limit + 1)
        if len(data) > limit:
            message = f"Each photo can be at most {limit / (1024 * 1024):g} MB."
            raise PayloadTooLarge(message, fields={field: [message]})
        if data:
            out.append(data)
    return out
