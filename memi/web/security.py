"""Security headers on every response."""

from flask import current_app, request

CSP = (
    "default-src 'self'; img-src 'self' data: blob: {media}; script-src 'self'; style-src 'self'; "
    "connect-src 'self' {ws}; font-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def set_security_headers(response):
    media = current_app.config.get("S3_PUBLIC_BASE_URL") or ""
    host = request.host
    ws = f"ws://{host} wss://{host}"
    response.headers.setdefault("Content-Security-Policy", CSP.format(media=media, ws=ws).replace("  ", " "))
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if current_app.config.get("HSTS"):
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response
