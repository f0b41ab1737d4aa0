"""Cross-feature reactions are in-transaction listeners, connected in one place, in a fixed order."""

from memi import events
from memi.notifications import listeners as notifications
from memi.reservations import listeners as reservations


def test_in_transaction_listeners_run_in_the_order_they_were_connected():
    signal = events.within(events.signals.signal("test-ordered"))
    heard = []
    receivers = [lambda _session, n=n: heard.append(n) for n in range(40)]
    for receiver in receivers:
        signal.connect(receiver)
    signal.connect(receivers[0])  # connecting again keeps its first place
    signal.send(None)
    assert heard == list(range(40))


def test_a_listing_leaving_sale_closes_its_requests_before_favoriters_hear(app):
    # As the services did it before these reactions became listeners: the reservation notifications
    # (cancelled, rejected) come before "sold" reaches the favoriters.
    order = list(events.within(events.product_status_changed).receivers_for(None))
    assert order.index(reservations._on_status_changed) < order.index(notifications._on_status)
    removed = list(events.within(events.product_removed).receivers_for(None))
    assert removed.index(reservations._on_product_removed) < removed.index(notifications._on_product_removed)
