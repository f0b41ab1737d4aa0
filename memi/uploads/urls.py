from flask import current_app


def media_url(key):
    """Public URL of a stored media key (local /media/ or the S3 public base URL)."""
    if not key:
        return None
    if current_app.config.get("STORAGE") == "s3":
        base = current_app.config.get("S3_PUBLIC_BASE_URL") or ""
        return f"{base.rstrip('/')}/{key}"
    return f"{current_app.config.get('MEDIA_URL', '/media/').rstrip('/')}/{key}"
