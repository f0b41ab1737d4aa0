"""Moved below the surfaces (memi.client_ip); kept so that older imports still work."""

from memi.client_ip import client_ip  # noqa: F401
