"""Gunicorn settings shared by `make run`, the Dockerfile and docker-compose.

Worker class: gthread by default (GUNICORN_WORKER_CLASS=gevent to switch). flask-sock holds a WebSocket
open for its whole life, so a worker must serve other requests while sockets are open: a thread per
connection (gthread) or a greenlet per connection (gevent, with psycogreen so that psycopg2 calls yield
to other greenlets). bench/chat_bench.py measures both with many open sockets and page load at once;
the figures and the reasons for the default are in bench/README.md.
"""

import os

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '5000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", "100"))  # gthread only
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", "2000"))  # gevent only
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 20
keepalive = 5
accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG", "1") == "1" else None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_fork(server, worker):
    if worker_class == "gevent":
        # Without this, every database round trip blocks the whole worker, not just its greenlet.
        from psycogreen.gevent import patch_psycopg

        patch_psycopg()
