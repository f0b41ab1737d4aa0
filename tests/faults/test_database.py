"""PostgreSQL restarted under writes, and PostgreSQL frozen (every process SIGSTOPped): what clients see."""

import threading
import time

import pytest

from tests.faults.conftest import Http
from tests.faults.stack import in_thread, wait_until

# "A prompt 503": an answer within this many seconds, where today's code can hang for minutes.
PROMPT = 10
# Once the database is back, writes succeed again within this many seconds, without restarting the app.
RECOVERY = 10


class Writer:
    """A client that repeats one kind of write as fast as it is answered, recording every outcome."""

    def __init__(self, base_url, kind, write):
        self.kind = kind
        self.write = write
        self.http = Http(base_url)
        self.outcomes = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"writer-{kind}", daemon=True)

    def _run(self):
        n = 0
        while not self._stop.is_set():
            n += 1
            self.outcomes.append(self.write(self.http, n))
            time.sleep(0.02)

    def start(self):
        self._thread.start()

    def stop(self):
        self._stop.set()
        self._thread.join(PROMPT * 3)
        self.http.close()
        assert not self._thread.is_alive(), f"the {self.kind} writer is stuck in a request"

    def successes(self, since=0.0):
        return [o for o in self.outcomes if o.ok and o.started >= since]


@pytest.fixture(scope="module")
def restart_under_writes(stack, people):
    """A seller creates listings and a buyer sends chat messages through the API, non-stop, while the
    cluster is restarted (`pg_ctl restart -m fast`); the writes go on until both have succeeded again."""
    stack.restore()
    seller, buyer = people.users("restart", 2)
    product_id = people.listing(seller)
    setup = Http(stack.app.url)
    seller_token, buyer_token = setup.token(seller), setup.token(buyer)
    chat = setup.api("POST", "/chats", token=buyer_token, json={"product_id": product_id, "message": "Still for sale?"})
    assert chat.status == 201, chat
    setup.close()
    chat_id = chat.body["id"]

    def listing(http, n):
        data = {"title": f"Restart jacket {n}", "price": "30.00", "condition": "GOOD", "category": "women-clothing"}
        return http.api("POST", "/products", token=seller_token, json=data, timeout=PROMPT * 2)

    def message(http, n):
        return http.api(
            "POST", f"/chats/{chat_id}/messages", token=buyer_token, json={"body": f"message {n}"}, timeout=PROMPT * 2
        )

    workers_before = (stack.app.pid, stack.app.workers())
    writers = [Writer(stack.app.url, "listing", listing), Writer(stack.app.url, "message", message)]
    for writer in writers:
        writer.start()
    try:
        wait_until(
            lambda: all(len(w.successes()) >= 3 for w in writers), 30, "writes did not succeed before the restart"
        )
        restart_started = time.monotonic()
        stack.pg.restart("fast")
        back = time.monotonic()
        wait_until(
            lambda: all(len(w.successes(since=back)) >= 3 for w in writers),
            RECOVERY * 3,
            "writes did not succeed again after the restart",
        )
    finally:
        for writer in writers:
            writer.stop()
    return {
        "writers": {w.kind: w.outcomes for w in writers},
        "restart_started": restart_started,
        "back": back,
        "workers_before": workers_before,
        "workers_after": (stack.app.pid, stack.app.workers()),
    }


def test_every_acknowledged_write_survives_a_restart_and_the_app_recovers_alone(stack, restart_under_writes):
    run = restart_under_writes
    listings = [o.body["id"] for o in run["writers"]["listing"] if o.ok]
    messages = [o.body["id"] for o in run["writers"]["message"] if o.ok]
    assert listings and messages

    # Every write a client was told succeeded is in the database.
    found = {r[0] for r in stack.pg.query("SELECT id FROM products WHERE id = ANY(%s)", (listings,))}
    assert sorted(set(listings) - found) == [], "listings answered 201 but missing from the database"
    found = {r[0] for r in stack.pg.query("SELECT id FROM messages WHERE id = ANY(%s)", (messages,))}
    assert sorted(set(messages) - found) == [], "messages answered 201 but missing from the database"

    # The app recovered by itself: same gunicorn master and workers, writes succeeding soon after.
    assert run["workers_after"] == run["workers_before"], "gunicorn workers were replaced during the restart"
    for kind, outcomes in run["writers"].items():
        first = min(o.started + o.elapsed for o in outcomes if o.ok and o.started >= run["back"])
        assert first - run["back"] < RECOVERY, f"{kind} writes failed for {first - run['back']:.1f}s after the restart"


def test_writes_during_a_restart_are_answered_503_promptly_never_500(restart_under_writes):
    for kind, outcomes in restart_under_writes["writers"].items():
        failed = [o for o in outcomes if not o.ok]
        wrong = [o for o in failed if o.status != 503]
        assert wrong == [], f"{kind} writes during the restart answered other than 503: {wrong}"
        for outcome in failed:
            assert outcome.body["error"]["code"] == "unavailable", outcome
            assert int(outcome.headers["Retry-After"]) > 0, outcome
        slow = [o for o in outcomes if o.elapsed > PROMPT]
        assert slow == [], f"{kind} writes took over {PROMPT}s: {slow}"


# ---- PostgreSQL frozen ---------------------------------------------------------------------------------

PROBES = {
    "readiness": "/readyz",
    "home page": "/",
    "API listings": "/api/v1/products?limit=5",
}


@pytest.fixture(scope="module")
def frozen_database(stack):
    """Every PostgreSQL process SIGSTOPped (a database host that stopped answering, connections left open):
    a page, an API read and /readyz are requested; then the cluster is SIGCONTed."""
    stack.restore()
    warm = Http(stack.app.url)
    for path in PROBES.values():  # pooled connections exist in the workers, as on a live site
        assert warm.get(path).status == 200
    warm.close()
    workers_before = stack.app.workers()
    clients = {name: Http(stack.app.url) for name in PROBES}
    stack.pg.freeze()
    try:
        # Each probe in its own thread: a hanging one must not delay the others.
        probes = {name: in_thread(clients[name].get, path, timeout=PROMPT * 1.5) for name, path in PROBES.items()}
        for thread, _ in probes.values():
            thread.join(PROMPT * 3)
    finally:
        stack.pg.thaw()
    thawed = time.monotonic()
    during = {name: result[0] if result else None for name, (_, result) in probes.items()}
    for client in clients.values():
        client.close()

    after = Http(stack.app.url)
    ready = wait_until(
        lambda: (o := after.get("/readyz", timeout=5)).status == 200 and o, RECOVERY * 3, "/readyz did not recover"
    )
    recovered = {"readiness": ready}
    for name, path in PROBES.items():
        if name != "readiness":
            recovered[name] = after.get(path, timeout=PROMPT)
    after.close()
    return {
        "during": during,
        "recovered": recovered,
        "ready_after": ready.started + ready.elapsed - thawed,
        "workers": (workers_before, stack.app.workers()),
    }


def test_a_frozen_database_is_a_prompt_503(frozen_database):
    during = frozen_database["during"]
    for name, outcome in during.items():
        assert outcome is not None and outcome.status == 503, f"{name} while PostgreSQL is frozen: {outcome}"
        assert outcome.elapsed < PROMPT, f"{name} took {outcome.elapsed:.1f}s"
        assert int(outcome.headers.get("Retry-After", "0")) > 0 or name == "readiness", outcome
    assert during["API listings"].body["error"]["code"] == "unavailable"


def test_the_site_recovers_by_itself_when_the_database_answers_again(frozen_database):
    assert frozen_database["ready_after"] < RECOVERY, f"/readyz 200 only {frozen_database['ready_after']:.1f}s later"
    for name, outcome in frozen_database["recovered"].items():
        assert outcome.status == 200, f"{name} after PostgreSQL came back: {outcome}"
    before, after = frozen_database["workers"]
    assert after == before, "gunicorn workers were replaced while PostgreSQL was frozen"
