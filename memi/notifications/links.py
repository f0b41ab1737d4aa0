"""Where a notification leads, built when it is shown (the page, the API, the socket frame, an email)
from the ids its payload holds: payloads never store paths, so a route can move without old rows
pointing nowhere."""

from flask import current_app, has_request_context, url_for

PRODUCT_TYPES = {
    "reservation.accepted",
    "reservation.rejected",
    "reservation.cancelled",
    "reservation.completed",
    "favorite.reserved",
    "favorite.sold",
    "favorite.back_on_sale",
    "favorite.price_dropped",
    "listing.removed",
}


def path_for(endpoint, **values):
    """The site path of `endpoint` ("/products/12"), also without a request (the CLI, a worker)."""
    if has_request_context():
        return url_for(endpoint, **values)
    adapter = current_app.url_map.bind("localhost", script_name=current_app.config.get("APPLICATION_ROOT") or "/")
    return adapter.build(endpoint, values)


def link_for(type_, payload):
    """The path a notification of `type_` with `payload` leads to. Rows written before links were built
    here keep their stored "url" when their ids do not say where to go."""
    p = payload or {}
    if type_ == "message.new" and p.get("chat_id") is not None:
        return path_for("chat.show", chat_id=p["chat_id"])
    if type_ == "favorite.deleted":
        return path_for("products.my_favorites")  # the listing itself is gone
    if type_ == "reservation.requested":
        return path_for("reservations.index", role="seller")
    if type_ in PRODUCT_TYPES and p.get("product_id") is not None:
        return path_for("products.detail", product_id=p["product_id"])
    return p.get("url") or path_for("products.home")


def notification_url(notification):
    """The path `notification` leads to (see link_for)."""
    return link_for(notification.type, notification.payload)
