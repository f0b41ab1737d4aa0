from flask import request


def client_ip():
    """The client's address. ProxyFix (configured with TRUSTED_PROXIES) has already replaced
    remote_addr with the right X-Forwarded-For entry when we run behind trusted proxies; a
    client that sets the header itself is never believed."""
    return request.remote_addr or "unknown"
