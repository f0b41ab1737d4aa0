"""The review's hang: twelve photo uploads to one listing at once, on gunicorn with gevent, after a
whole API story (registrations, logins, parallel refreshes) has run through the same worker. Three of
twelve once never answered, their connections `idle in transaction` for minutes. Every upload must
answer (a photo added, the listing full, or a prompt 503), and nothing may be left holding the database."""

import io
import random
import threading

from PIL import Image

from tests.faults.conftest import Http
from tests.faults.stack import wait_until

UPLOADS = 12
MAX_PHOTOS = 8


def _photo(seed):
    """A phone-sized JPEG of noise: real work for the re-encoder, about 200 KB on the wire."""
    rng = random.Random(seed)
    image = Image.frombytes("RGB", (1200, 900), rng.randbytes(1200 * 900 * 3))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=70)
    return out.getvalue()


def _in_parallel(fn, args):
    results = [None] * len(args)

    def run(i):
        results[i] = fn(*args[i])

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(len(args))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not any(thread.is_alive() for thread in threads), "a client thread never came back"
    return results


def _api_story(stack, http):
    """What the review ran first: registrations, logins and parallel refreshes (bcrypt and token work in
    the same worker processes as the uploads that follow)."""
    client = http()
    accounts = []
    for n in range(6):
        email = f"story-{n}-{random.randrange(10**9)}@example.az"
        res = client.api("POST", "/auth/register", json={"email": email, "password": "story-pass-123", "name": "S"})
        assert res.status == 201, res
        accounts.append((email, res.body["refresh_token"]))

    def login_and_refresh(email, refresh):
        one = Http(stack.app.url)
        try:
            login = one.api("POST", "/auth/login", json={"email": email, "password": "story-pass-123"})
            again = one.api("POST", "/auth/refresh", json={"refresh_token": refresh})
            return login.status, again.status
        finally:
            one.close()

    assert _in_parallel(login_and_refresh, accounts * 2).count((200, 200)) >= len(accounts)


def test_twelve_parallel_uploads_to_one_listing_all_answer_and_leave_no_transaction_open(stack, people, http):
    _api_story(stack, http)
    seller = people.user("uploads")
    token = http().token(seller)
    photos = [_photo(n) for n in range(UPLOADS)]

    for round_ in range(3):
        listing = people.listing(seller, title=f"Upload storm {round_}")

        def upload(photo, listing):
            client = Http(stack.app.url)
            try:
                files = {"files": ("photo.jpg", photo, "image/jpeg")}
                return client.api("POST", f"/products/{listing}/images", token=token, files=files, timeout=60)
            finally:
                client.close()

        outcomes = _in_parallel(upload, [(photo, listing) for photo in photos])

        # Every upload answered, and each answer is one a phone app can act on.
        assert all(o.status is not None for o in outcomes), outcomes
        assert {o.status for o in outcomes} <= {201, 400, 409, 503}, outcomes  # the contract: full is 409 or 400
        added = sum(1 for o in outcomes if o.status == 201)
        assert 1 <= added <= MAX_PHOTOS, outcomes
        assert all(o.headers.get("Retry-After") for o in outcomes if o.status == 503), outcomes
        # The photos the app said it added are the listing's photos: no more, no fewer.
        stored = stack.pg.query("SELECT count(*) FROM product_images WHERE product_id = %s", (listing,))[0][0]
        assert stored == added, (stored, outcomes)

        # Nothing of the app is left holding a transaction.
        def idle_in_transaction():
            return stack.pg.query(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND state LIKE 'idle in transaction%%' AND pid <> pg_backend_pid()"
            )[0][0]

        wait_until(lambda: idle_in_transaction() == 0, 5, "a connection stayed idle in transaction")
    assert stack.app.healthy()
