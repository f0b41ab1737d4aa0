"""The jobs the worker runs. Periodic ones fire on the intervals set from the configuration in
`apply_config` (called when the worker starts).

Work that must never be lost is written to a table in the transaction that causes it and relayed from
there by a periodic job (the email outbox); a queued job can be lost if its worker is killed mid-run,
so a job only ever triggers work whose truth is in the database.
"""

from memi.jobs.runner import PERIODIC, SLOW_DOWN, Every, periodic_job
from memi.mail.services import deliver_due
from memi.reservations.services import expire_due_reservations
from memi.uploads.sweep import sweep_orphans

OUTBOX_BATCH = 50

# The outbox relay: every WORKER_POLL_SECONDS; while it fails (the database down) or SMTP refuses,
# twice as long after each such round, up to a minute (each email also has its own backoff).
OUTBOX = Every()
# The orphan media sweep: every MEDIA_SWEEP_INTERVAL_SECONDS (0: off), first a minute after start.
MEDIA_SWEEP = Every()
# Lapsed reservation holds: every RESERVATION_EXPIRY_INTERVAL_SECONDS (0: off), first at start.
RESERVATION_EXPIRY = Every()


def intervals(config):
    """{job name: (seconds between runs, seconds before the first, longest wait after failures)}."""
    sweep = config["MEDIA_SWEEP_INTERVAL_SECONDS"]
    return {
        "email-outbox": (config["WORKER_POLL_SECONDS"], 0, 60),
        "media-sweep": (sweep, min(sweep, 60), None),
        "reservation-expiry": (config["RESERVATION_EXPIRY_INTERVAL_SECONDS"], 0, None),
    }


def apply_config(config):
    for name, (seconds, first, max_seconds) in intervals(config).items():
        PERIODIC[name][1].set(seconds, first, max_seconds)


# A relay run not started within 30 s is dropped: the next one is already on its way. While the queue
# (Redis) is down the scheduler relays itself: email never depended on Redis and does not now.
@periodic_job("email-outbox", OUTBOX, expires=30, inline_if_queue_down=True)
def relay_outbox():
    """Send the email that is due from the outbox (email_outbox)."""
    sent, failed = deliver_due(limit=OUTBOX_BATCH)
    if failed:
        return SLOW_DOWN
    if sent >= OUTBOX_BATCH:
        relay_outbox()  # more is due: go on at once rather than at the next tick
    return None


@periodic_job("media-sweep", MEDIA_SWEEP, retries=3, retry_delay=60, retry_backoff=2)
def sweep_media():
    """Delete photo files no listing or profile refers to (older than MEDIA_SWEEP_AGE_HOURS)."""
    sweep_orphans()


# Safe to run twice at once: each hold is re-read under its listing's lock before it is cancelled.
@periodic_job("reservation-expiry", RESERVATION_EXPIRY, expires=60)
def expire_reservations():
    """Cancel the reservation holds that have lapsed (the listing goes back on sale; both sides are told)."""
    expire_due_reservations()  # a service: it flushes, the runner commits


def periodic_jobs(config):
    """[(name, description, seconds between runs or None when off)] of every periodic job."""
    every = intervals(config)
    return [
        (name, (task.func.__doc__ or "").strip().split("\n")[0], Every(every.get(name, (schedule.seconds,))[0]).seconds)
        for name, (task, schedule) in PERIODIC.items()
    ]
