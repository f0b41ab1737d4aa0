"""Serves media files of the local storage backend at /media/<key>. With STORAGE=s3 the files are
linked straight from the bucket or CDN and this route answers 404."""

from flask import Blueprint, abort, send_from_directory

from memi.uploads.storage import CACHE_CONTROL, LocalStorage, get_storage

bp = Blueprint("media", __name__)

# Only what the pipeline writes is served, with a type we choose rather than one guessed by the OS.
CONTENT_TYPES = {"webp": "image/webp", "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}


@bp.get("/media/<path:key>")
def serve(key):
    storage = get_storage()
    if not isinstance(storage, LocalStorage):
        abort(404)
    content_type = CONTENT_TYPES.get(key.rsplit(".", 1)[-1].lower()) if "." in key else None
    if content_type is None:
        abort(404)
    # send_from_directory refuses keys that leave the folder (404) and answers 404 for missing files.
    response = send_from_directory(storage.root, key, mimetype=content_type, max_age=31536000)
    # Keys are random and never reused, so a file never changes: browsers and CDNs may keep it forever.
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
