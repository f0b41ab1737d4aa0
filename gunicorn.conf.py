"""Gunicorn settings shared by `make run`, the Dockerfile and docker-compose.

Worker class: gevent by default on PostgreSQL, gthread on SQLite (GUNICORN_WORKER_CLASS to choose). flask-sock holds a
WebSocket open for its whole life, so a worker must serve other requests while sockets are open: a
greenlet per connection (gevent, with psycogreen so that psycopg2 calls yield to other greenlets) or a
thread per connection (gthread). bench/chat_bench.py measures both with 1,000 open sockets, with and
without page load at once: gevent delivered chat messages with a quarter of gthread's p99 and served
two to four times the pages, in two thirds of the memory per socket (figures in bench/README.md).
CPU-heavy steps (bcrypt, photo re-encoding) run in real OS threads (memi/cpu.py, CPU_THREADS) so that
they do not stall the loop; a result that takes longer than CPU_TASK_TIMEOUT is answered 503.
"""

import os
from pathlib import Path

if os.environ.get("MEMI_ENV", "development") != "production":
    from dotenv import load_dotenv

    load_dotenv(Path(__file__).resolve().parent / ".env")  # as the app does, so REDIS_URL below is seen

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '5000')}")
# Without REDIS_URL the realtime fan-out and the rate-limit counters live in the process, so a chat
# message posted to one worker would never reach a socket held by another: one worker then, unless
# WEB_CONCURRENCY says otherwise. With Redis, two workers (or WEB_CONCURRENCY) share the work.
workers = int(os.environ.get("WEB_CONCURRENCY") or (2 if os.environ.get("REDIS_URL") else 1))
# gevent on PostgreSQL (production). On SQLite (`make run`'s embedded default) every transaction holds the
# database's one write lock, and the sqlite3 driver waits for it without yielding to other greenlets: a
# request that holds the lock while bcrypt runs in the thread pool would freeze the worker, so threads.
_sqlite = not os.environ.get("DATABASE_URL", "").startswith(("postgresql", "postgres:"))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS") or ("gthread" if _sqlite else "gevent")
threads = int(os.environ.get("GUNICORN_THREADS", "100"))  # gthread only
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", "2000"))  # gevent only
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 20
keepalive = 5
accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG", "1") == "1" else None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def on_starting(server):
    if workers > 1 and not os.environ.get("REDIS_URL"):
        server.log.warning(
            "%d workers without REDIS_URL: chat messages and notifications reach only sockets held by the "
            "worker that handled them, and rate limits count per worker. Set REDIS_URL or WEB_CONCURRENCY=1.",
            workers,
        )


def post_fork(server, worker):
    if worker_class == "gevent":
        # Without this, every database round trip blocks the whole worker, not just its greenlet.
        from psycogreen.gevent import patch_psycopg

        patch_psycopg()
