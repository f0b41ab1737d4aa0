"""Email while the SMTP server is down, and with the email worker SIGKILLed mid-batch."""

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.faults.conftest import Http
from tests.faults.stack import wait_until


def ask_for_reset_links(base_url, accounts, clients=4):
    """Every account asks for a password-reset email through the API (each queues one email)."""
    https = [Http(base_url) for _ in range(clients)]
    try:
        with ThreadPoolExecutor(clients) as pool:
            return list(
                pool.map(
                    lambda pair: https[pair[0] % clients].api(
                        "POST", "/auth/password/forgot", json={"email": pair[1].email}
                    ),
                    enumerate(accounts),
                )
            )
    finally:
        for http in https:
            http.close()


def outbox(stack, accounts):
    """{status: count} of the accounts' rows in the outbox, and their total attempts."""
    rows = stack.pg.query(
        "SELECT status, attempts FROM email_outbox WHERE to_email = ANY(%s)", ([a.email for a in accounts],)
    )
    return Counter(status for status, _ in rows), sum(attempts for _, attempts in rows)


def copies(stack, accounts):
    """Recipient -> the Message-IDs of the copies the SMTP server accepted for them."""
    emails = {a.email for a in accounts}
    received = {email: [] for email in emails}
    for message in list(stack.smtp.received):
        for recipient in message.recipients:
            if recipient in emails:
                received[recipient].append(message.message_id)
    return received


def test_emails_queued_while_smtp_is_down_all_arrive_once_when_it_is_back(stack, people):
    accounts = people.users("smtp-down", 100)
    stack.smtp.stop()
    try:
        outcomes = ask_for_reset_links(stack.app.url, accounts)
        assert [o for o in outcomes if o.status != 202] == [], "requests failed while SMTP was down"

        # The worker tries, fails, and keeps every email queued for a retry: none lost, none given up.
        wait_until(lambda: outbox(stack, accounts)[1] > 0, 30, "the worker never tried to send")
        statuses, _ = outbox(stack, accounts)
        assert sum(statuses.values()) == 100, statuses
        assert statuses["SENT"] == 0 and statuses["FAILED"] == 0, statuses
    finally:
        stack.smtp.start()

    # Back: every email goes out (those whose attempt failed after their retry delay, 15 s at most).
    wait_until(lambda: outbox(stack, accounts)[0]["SENT"] == 100, 90, "not every email was sent after SMTP came back")
    received = copies(stack, accounts)
    assert {email: ids for email, ids in received.items() if len(ids) != 1} == {}, "emails not received exactly once"
    assert len({ids[0] for ids in received.values()}) == 100, "two emails share a Message-ID"


@pytest.fixture(scope="module")
def worker_killed_mid_batch(stack, people):
    """20 emails queued; the SMTP server waits half a second before answering QUIT after each message it has
    accepted. The worker is SIGKILLed inside that wait (a message handed over, not yet marked sent), after at
    least five have gone out; a new worker is started."""
    stack.restore()
    accounts = people.users("worker-kill", 20)
    stack.smtp.quit_delay = 0.5
    try:
        outcomes = ask_for_reset_links(stack.app.url, accounts)
        assert [o for o in outcomes if o.status != 202] == []
        wait_until(
            lambda: stack.smtp.quitting and sum(map(len, copies(stack, accounts).values())) >= 5,
            60,
            "the worker did not get to the fifth email",
            interval=0.01,
        )
        stack.worker.kill()
        in_flight = stack.smtp.received[-1].recipients
        killed_after = sum(map(len, copies(stack, accounts).values()))
    finally:
        stack.smtp.quit_delay = 0.0
    stack.worker.start()
    wait_until(
        lambda: outbox(stack, accounts)[0]["SENT"] == 20, 90, "not every email was sent after the worker restarted"
    )
    return {"received": copies(stack, accounts), "in_flight": in_flight, "killed_after": killed_after}


def test_every_email_arrives_at_most_twice_after_the_worker_is_killed(worker_killed_mid_batch):
    received = worker_killed_mid_batch["received"]
    assert {email: ids for email, ids in received.items() if not ids} == {}, "emails never sent"
    assert {email: ids for email, ids in received.items() if len(ids) > 2} == {}, "emails sent more than twice"


def test_a_second_copy_after_the_kill_carries_the_same_message_id(worker_killed_mid_batch):
    received = worker_killed_mid_batch["received"]
    in_flight = worker_killed_mid_batch["in_flight"]
    assert all(received[email] for email in in_flight), "the email in flight when the worker died never arrived"
    differing = {email: ids for email, ids in received.items() if len(set(ids)) > 1}
    assert differing == {}, "a resent email has a new Message-ID, so a mail client shows it as a second email"
