"""A gunicorn worker SIGKILLed while the site is under load."""

import os
import signal
import threading
import time

from tests.faults.conftest import Http
from tests.faults.stack import wait_until

PATHS = ["/healthz", "/", "/api/v1/products?limit=5", "/search?q=jacket"]
CLIENTS = 4


def test_a_killed_gunicorn_worker_is_replaced_and_other_clients_never_see_an_error(stack, people):
    seller = people.user("gunicorn")
    people.listing(seller, title="Denim jacket")
    master, workers = stack.app.pid, stack.app.workers()
    assert len(workers) == 2

    outcomes = []
    stop = threading.Event()

    def browse(n):
        http = Http(stack.app.url)
        try:
            i = n
            while not stop.is_set():
                outcomes.append(http.get(PATHS[i % len(PATHS)], timeout=15))
                i += 1
        finally:
            http.close()

    threads = [threading.Thread(target=browse, args=(n,), daemon=True) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    try:
        wait_until(lambda: sum(o.ok for o in outcomes) >= 20, 30, "the site did not answer before the kill")
        victim = workers[0]
        os.kill(victim, signal.SIGKILL)
        killed = time.monotonic()
        replaced = wait_until(
            lambda: (now := stack.app.workers()) and len(now) == 2 and victim not in now and now,
            30,
            "gunicorn did not replace the killed worker",
        )
        # Keep browsing until the new worker has booted and the load has had time to reach it.
        answered = len(outcomes)
        wait_until(lambda: sum(o.ok for o in outcomes[answered:]) >= 40, 30, "the site stopped answering")
    finally:
        stop.set()
        for thread in threads:
            thread.join(20)

    assert stack.app.pid == master and stack.app.running(), "the gunicorn master itself went away"
    assert set(replaced) - set(workers), replaced
    statuses = [o.status for o in outcomes if o.status is not None]
    assert statuses and all(s == 200 for s in statuses), f"answers other than 200: {sorted(set(statuses))}"
    # Only requests in flight on the killed worker (one per client at most) may lose their connection.
    lost = [o for o in outcomes if o.status is None]
    assert len(lost) <= CLIENTS, f"{len(lost)} requests failed: {lost}"
    assert all(o.started <= killed + 3 for o in lost), f"requests failed long after the kill: {lost}"
    assert stack.app.healthy()
