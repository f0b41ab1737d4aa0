from memi.uploads.storage import get_storage


def media_url(key):
    """Public URL of a stored media key (local /media/ or the S3 public base URL), None without a key."""
    if not key:
        return None
    return get_storage().url(key)
