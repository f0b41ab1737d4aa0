"""Gunicorn settings shared by `make run`, the Dockerfile and docker-compose.

Worker class: gthread. flask-sock holds a WebSocket open for its whole life, so a worker must serve
other requests while sockets are open: a thread per connection (gthread) or a greenlet per
connection (gevent). gthread needs no monkey-patching of the database driver; the chat issue measures
both under page load with many open sockets and revisits this choice with figures.
"""

import os

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '5000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "100"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 20
keepalive = 5
accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG", "1") == "1" else None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
