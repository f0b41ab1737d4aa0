"""The page number of a web list page, read leniently from the query string."""

from flask import request

MAX_PAGE = 10_000  # as the API's PaginationArgs allow; an OFFSET past this is never a real visit


def page_arg(name="page"):
    """`?page=` as an int in 1..MAX_PAGE. Pages are links people edit by hand, so nothing here is a
    400 (let alone a 500): a missing or malformed value (`abc`, `-3`, `0`, `1.5`) is page 1, and a
    number past MAX_PAGE is MAX_PAGE (an empty page, as any page past the end), never an OFFSET the
    database cannot hold."""
    value = (request.args.get(name) or "").strip()
    if not (value.isascii() and value.isdigit()):
        return 1
    value = value.lstrip("0")
    if not value:
        return 1
    if len(value) > len(str(MAX_PAGE)):  # before int(): Python refuses to parse 4,301+ digit strings
        return MAX_PAGE
    return min(int(value), MAX_PAGE)
