"""Static files: fingerprinted URLs that browsers may keep for a year, and compressed text responses.

Every `url_for('static', filename=...)` gets `?v=<content hash>` (a url_defaults hook; the hashes are
computed once, when the app starts, from the files as deployed). A request carrying the current hash
of its file is answered with `Cache-Control: public, max-age=31536000, immutable`: a new deploy that
changes the file changes its URL, so a year is safe. A request without the hash (or with a stale one)
gets a short cache and revalidates by ETag. That covers the fonts memi.css names with relative
`url(../fonts/...)`: they are unversioned, two sub-kilobyte files cached for a day, which keeps the
stylesheet a plain file served as it is (no rewriting step between the repository and the browser).

Compression (Flask-Compress, brotli or gzip as the browser accepts) covers HTML pages and htmx
fragments, JSON, CSS, JS, SVG and XML. It never touches streamed responses, a WebSocket's upgrade,
responses that already carry a Content-Encoding, or images (JPEG, PNG and WebP are compressed formats
and are not in the list of types)."""

import hashlib
import os

from flask import current_app, request

from memi.extensions import compress

YEAR = 31536000
UNVERSIONED_MAX_AGE = 86400
VERSION_PARAM = "v"

# Text types worth compressing; images other than SVG are compressed formats already.
COMPRESSED_TYPES = [
    "text/html",
    "text/css",
    "text/plain",
    "text/xml",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/problem+json",
    "application/xml",
    "application/ld+json",
    "application/manifest+json",
    "image/svg+xml",
]


def file_versions(folder):
    """{relative path: short content hash} for every file under `folder`."""
    versions = {}
    for root, _dirs, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            with open(path, "rb") as f:
                digest = hashlib.sha256(f.read()).hexdigest()[:12]
            versions[os.path.relpath(path, folder).replace(os.sep, "/")] = digest
    return versions


def _add_version(endpoint, values):
    if endpoint != "static" or VERSION_PARAM in values:
        return
    version = current_app.extensions["static_versions"].get(values.get("filename", ""))
    if version:
        values[VERSION_PARAM] = version


def _static_caching(response):
    """Year-long caching for a request with the file's current hash, a day for the rest; and a
    static file read whole, so Flask-Compress compresses it like any other response (a file sent
    as a stream would otherwise pass through uncompressed)."""
    if request.endpoint != "static" or response.status_code not in (200, 206, 304):
        return response
    filename = (request.view_args or {}).get("filename", "")
    current = current_app.extensions["static_versions"].get(filename)
    if current and request.args.get(VERSION_PARAM) == current:
        response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    else:
        response.headers["Cache-Control"] = f"public, max-age={UNVERSIONED_MAX_AGE}"
    if response.status_code == 200 and response.mimetype in COMPRESSED_TYPES and response.is_streamed:
        response.direct_passthrough = False
        response.make_sequence()
    return response


def register_static_files(app):
    """Call before any other after_request hook is registered: Flask runs them in reverse order, so
    compression, registered first, runs last, on the finished response."""
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_TYPES)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_STREAMS", False)
    app.config.setdefault("COMPRESS_BR_LEVEL", 5)
    compress.init_app(app)
    app.after_request(_static_caching)
    app.extensions["static_versions"] = file_versions(app.static_folder)
    app.url_defaults(_add_version)
