"""htmx helpers: branch on the HX-Request header, render only the block that changes."""

import json

from flask import make_response, render_template, request
from flask_babel import gettext as _
from jinja2_fragments.flask import render_block


def is_htmx():
    """An htmx request that wants a fragment: not a boosted navigation, and not a history restore
    (Back with no cached page asks for the whole page to put back, header and all)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-Boosted") != "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def render(template, block=None, **context):
    """The whole page, or only `block` of it for an htmx request (not a boosted navigation)."""

    if block and is_htmx():
        response = make_response(render_block(template, block, **context))
    else:
        response = make_response(render_template(template, **context))
    response.vary.add("HX-Request")
    return response


def render_blocks(template, blocks, **context):
    """Several blocks of `template`, one after the other: the part an htmx request swaps, and the
    out-of-band pieces (hx-swap-oob) that follow it."""

    response = make_response("".join(render_block(template, block, **context) for block in blocks))
    response.vary.add("HX-Request")
    return response


def toast_header(response, message):
    """Ask the page to show a confirmation toast (static/js/app.js listens for it)."""

    response.headers["HX-Trigger"] = json.dumps({"memi:toast": {"message": str(message)}})
    return response


__all__ = ["is_htmx", "render", "render_blocks", "toast_header", "_"]
