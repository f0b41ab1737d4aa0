"""Settings, read from the environment only (a .env file is loaded in development)."""

import os
from datetime import timedelta
from pathlib import Path

from memi.limits import DEFAULT_MAX_IMAGE_BYTES
from memi.redis_client import client_options

BASE_DIR = Path(__file__).resolve().parent.parent
DEV_SECRET = "dev-insecure-secret-change-me"


def _bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def _float(name, default):
    value = os.environ.get(name)
    return float(value) if value not in (None, "") else default


def _socket_cap_per_worker():
    """Sockets one worker may hold: its connection slots (gevent's worker_connections, or gthread's threads,
    as gunicorn.conf.py chooses) less WS_RESERVED_CONNECTIONS kept for plain requests."""
    sqlite = not os.environ.get("DATABASE_URL", "").startswith(("postgresql", "postgres:"))
    worker_class = os.environ.get("GUNICORN_WORKER_CLASS") or ("gthread" if sqlite else "gevent")
    if worker_class == "gthread":
        slots, reserve = _int("GUNICORN_THREADS", 100), _int("WS_RESERVED_CONNECTIONS", 20)
    else:
        slots, reserve = _int("GUNICORN_WORKER_CONNECTIONS", 2000), _int("WS_RESERVED_CONNECTIONS", 200)
    return max(1, slots - reserve)


def load_config():
    """Build the config mapping from the process environment."""
    env = os.environ.get("MEMI_ENV", "development")
    instance_dir = BASE_DIR / "instance"
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance_dir / 'memi.db'}"
    # Heroku-style URLs name the dialect "postgres"; SQLAlchemy wants "postgresql".
    # Anything but development (production, staging, ...) gets secure cookies, HSTS and the secret check.
    production = env != "development"
    redis_url = os.environ.get("REDIS_URL") or None
    redis_timeout = float(os.environ.get("REDIS_TIMEOUT_SECONDS", "0.5"))
    return {
        "ENV_NAME": env,
        "SECRET_KEY": os.environ.get("SECRET_KEY", DEV_SECRET),
        "JWT_SECRET_KEY": os.environ.get("JWT_SECRET_KEY") or os.environ.get("SECRET_KEY", DEV_SECRET),
        "PASSWORD_PEPPER": os.environ.get("PASSWORD_PEPPER", DEV_SECRET),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "REDIS_URL": redis_url,
        # Redis is optional and may fail: connect/read within this many seconds, and after a failure
        # leave it alone this long (rate limits use in-process counters, chat delivers locally).
        "REDIS_TIMEOUT_SECONDS": redis_timeout,
        "REDIS_RETRY_SECONDS": float(os.environ.get("REDIS_RETRY_SECONDS", "10")),
        "BASE_URL": os.environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        "TRUSTED_PROXIES": _int("TRUSTED_PROXIES", 0),
        # Media storage
        "STORAGE": os.environ.get("STORAGE", "local"),
        "MEDIA_ROOT": os.environ.get("MEDIA_ROOT") or str(BASE_DIR / "media"),
        "MEDIA_URL": os.environ.get("MEDIA_URL", "/media/"),
        "S3_BUCKET": os.environ.get("S3_BUCKET"),
        "S3_ENDPOINT_URL": os.environ.get("S3_ENDPOINT_URL") or None,
        "S3_REGION": os.environ.get("S3_REGION", "us-east-1"),
        "S3_ACCESS_KEY_ID": os.environ.get("S3_ACCESS_KEY_ID"),
        "S3_SECRET_ACCESS_KEY": os.environ.get("S3_SECRET_ACCESS_KEY"),
        "S3_PUBLIC_BASE_URL": os.environ.get("S3_PUBLIC_BASE_URL"),
        # Request bodies: photo upload routes at most MAX_CONTENT_LENGTH, every other route MAX_BODY_BYTES
        # (JSON and plain forms; checked before the body is read, memi.web.door).
        "MAX_CONTENT_LENGTH": _int("MAX_UPLOAD_REQUEST_BYTES", 90 * 1024 * 1024),
        "MAX_BODY_BYTES": _int("MAX_BODY_BYTES", 64 * 1024),
        # One photo at most (bytes); the request as a whole at most MAX_CONTENT_LENGTH.
        "MAX_IMAGE_BYTES": _int("MAX_IMAGE_BYTES", DEFAULT_MAX_IMAGE_BYTES),
        # CPU-heavy work (memi.cpu, memi.uploads.images): pixels per photo, photos processed at once
        # per process (0: one per CPU), seconds to wait for a slot and for a result, pool threads.
        "MAX_IMAGE_PIXELS": _int("MAX_IMAGE_PIXELS", 25_000_000),
        "PHOTO_CONCURRENCY": _int("PHOTO_CONCURRENCY", 0),
        "PHOTO_SLOT_WAIT": float(os.environ.get("PHOTO_SLOT_WAIT") or 10),
        "PHOTO_UPLOAD_RATE": os.environ.get("PHOTO_UPLOAD_RATE", "120 per hour;400 per day"),
        "CPU_TASK_TIMEOUT": float(os.environ.get("CPU_TASK_TIMEOUT") or 30),
        "CPU_THREADS": _int("CPU_THREADS", 0),
        # Mail: without MAIL_SERVER emails are written to the log instead of sent.
        "MAIL_SERVER": os.environ.get("MAIL_SERVER") or None,
        "MAIL_PORT": _int("MAIL_PORT", 25),
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS"),
        "MAIL_USE_SSL": _bool("MAIL_USE_SSL"),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", "memi.az <no-reply@memi.az>"),
        "MAIL_TIMEOUT": _int("MAIL_TIMEOUT", 10),
        # Seconds an email may stay in flight (claimed by a worker) before it counts as stuck and is retried.
        "MAIL_SENDING_TIMEOUT": _int("MAIL_SENDING_TIMEOUT", 300),
        # Seconds within which notification emails of one kind about one listing to one person are merged.
        "MAIL_COALESCE_SECONDS": _int("MAIL_COALESCE_SECONDS", 600),
        # Whether to send is decided by MAIL_SERVER alone (unset: emails go to the log).
        "MAIL_SUPPRESS_SEND": False,
        # Sessions and cookies
        "SESSION_COOKIE_NAME": "__Host-memi" if production else "memi_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", production),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", production),
        "PERMANENT_SESSION_LIFETIME": timedelta(days=30),
        "HSTS": production,
        # JWT
        "JWT_ALGORITHM": "HS256",
        "JWT_DECODE_ALGORITHMS": ["HS256"],
        "JWT_ACCESS_TOKEN_EXPIRES": timedelta(minutes=15),
        "JWT_TOKEN_LOCATION": ["headers"],
        "REFRESH_TOKEN_TTL": timedelta(days=30),
        "PASSWORD_RESET_TTL": timedelta(hours=1),
        # Rate limits (flask-limiter); memory storage unless REDIS_URL is set.
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        # Redis down: short timeouts, then per-process counters until it answers again; never a 500.
        "RATELIMIT_STORAGE_OPTIONS": client_options(redis_timeout),
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_HEADERS_ENABLED": True,
        "RATELIMIT_ENABLED": _bool("RATELIMIT_ENABLED", True),
        "RATELIMIT_AUTH_PER_IP": os.environ.get("RATELIMIT_AUTH_PER_IP", "20 per minute;200 per hour"),
        # Register and forgot-password, per email (a bucket per endpoint).
        "RATELIMIT_AUTH_PER_ACCOUNT": os.environ.get("RATELIMIT_AUTH_PER_ACCOUNT", "5 per minute;30 per hour"),
        # Failed logins: tight per (email, client IP), loose per email, so a stranger cannot lock the owner out.
        "RATELIMIT_LOGIN_PER_ACCOUNT_IP": os.environ.get("RATELIMIT_LOGIN_PER_ACCOUNT_IP", "5 per minute;20 per hour"),
        "RATELIMIT_LOGIN_PER_ACCOUNT": os.environ.get("RATELIMIT_LOGIN_PER_ACCOUNT", "50 per hour"),
        # Chat: messages per user (pages, API and socket alike); socket re-check interval; frame cap.
        "CHAT_MESSAGE_RATE": os.environ.get("CHAT_MESSAGE_RATE", "30 per minute"),
        "WS_RECHECK_SECONDS": float(os.environ.get("WS_RECHECK_SECONDS", "20")),
        # 32 KiB: a 2000-character message fits even as ASCII-escaped JSON (12 bytes an emoji: 24 KB).
        "SOCK_SERVER_OPTIONS": {"max_message_size": 32 * 1024, "ping_interval": 25},
        # Open sockets per process (memi.chat.realtime.SocketSlots): per user, per client address, in all.
        "WS_MAX_PER_USER": _int("WS_MAX_PER_USER", 5),
        "WS_MAX_PER_IP": _int("WS_MAX_PER_IP", 20),
        "WS_MAX_PER_WORKER": _int("WS_MAX_PER_WORKER", _socket_cap_per_worker()),
        # Automated moderation (memi.moderation): words that block a listing or message.
        "MODERATION_BANNED_WORDS": [
            w.strip()
            for w in os.environ.get("MODERATION_BANNED_WORDS", "replica,fake designer").split(",")
            if w.strip()
        ],
        "MODERATOR": os.environ.get("MODERATOR", "memi.moderation:RuleBasedModerator"),
        "REPORT_RATE": os.environ.get("REPORT_RATE", "10 per hour"),
        # Reservation requests per buyer on one listing, and per buyer overall.
        "RESERVATION_RATE_PER_LISTING": os.environ.get("RESERVATION_RATE_PER_LISTING", "3 per 10 minutes"),
        "RESERVATION_RATE_PER_BUYER": os.environ.get("RESERVATION_RATE_PER_BUYER", "20 per hour"),
        # Hours an accepted reservation holds the item (the seller may extend it once by as much).
        "RESERVATION_HOLD_HOURS": _float("RESERVATION_HOLD_HOURS", 72),
        # Forms
        "WTF_CSRF_TIME_LIMIT": None,
        "WTF_CSRF_SSL_STRICT": production,
        # i18n
        # Azerbaijani first (the default), then Russian, then English (the source language of the texts).
        "BABEL_DEFAULT_LOCALE": "az",
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("TIME_ZONE", "Asia/Baku"),
        "BABEL_TRANSLATION_DIRECTORIES": str(BASE_DIR / "memi" / "translations"),
        "LANGUAGES": ["az", "ru", "en"],
        # API docs (flask-smorest)
        "API_TITLE": "memi.az API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
        "WORKER_POLL_SECONDS": float(os.environ.get("WORKER_POLL_SECONDS", "2")),
        # Background jobs (memi.jobs): the queue's store (sqlite or redis; default redis with REDIS_URL),
        # the SQLite queue file, worker threads, whether this worker schedules the periodic jobs, and
        # seconds a stopping worker lets running jobs finish.
        "JOBS_BACKEND": (os.environ.get("JOBS_BACKEND") or "").strip().lower() or None,
        "JOBS_SQLITE_PATH": os.environ.get("JOBS_SQLITE_PATH") or None,
        "JOBS_WORKERS": _int("JOBS_WORKERS", 2),
        "JOBS_PERIODIC": _bool("JOBS_PERIODIC", True),
        "JOBS_SHUTDOWN_SECONDS": _float("JOBS_SHUTDOWN_SECONDS", 20),
        # Media files no row refers to are deleted once this old (hours); the worker sweeps this often (0: never).
        "MEDIA_SWEEP_AGE_HOURS": float(os.environ.get("MEDIA_SWEEP_AGE_HOURS", "24")),
        "PHOTO_DRAFT_HOURS": float(os.environ.get("PHOTO_DRAFT_HOURS", "24")),  # unsaved photo drafts live this long
        "MEDIA_SWEEP_INTERVAL_SECONDS": float(os.environ.get("MEDIA_SWEEP_INTERVAL_SECONDS", "3600")),
        # Seconds between the worker's scans for lapsed reservation holds (0: never).
        "RESERVATION_EXPIRY_INTERVAL_SECONDS": _float("RESERVATION_EXPIRY_INTERVAL_SECONDS", 60),
        # Database limits (PostgreSQL; see finalize_database). Web requests get the statement and
        # idle-in-transaction timeouts; CLI commands (migrations, seed, the email worker) the DB_CLI_ ones.
        "DB_CONNECT_TIMEOUT": _float("DB_CONNECT_TIMEOUT", 3),
        "DB_STATEMENT_TIMEOUT_MS": _int("DB_STATEMENT_TIMEOUT_MS", 10_000),
        "DB_IDLE_IN_TRANSACTION_TIMEOUT_MS": _int("DB_IDLE_IN_TRANSACTION_TIMEOUT_MS", 30_000),
        "DB_CLI_STATEMENT_TIMEOUT_MS": _int("DB_CLI_STATEMENT_TIMEOUT_MS", 0),
        "DB_CLI_IDLE_IN_TRANSACTION_TIMEOUT_MS": _int("DB_CLI_IDLE_IN_TRANSACTION_TIMEOUT_MS", 300_000),
        "DB_KEEPALIVES_IDLE": _int("DB_KEEPALIVES_IDLE", 30),
        "DB_KEEPALIVES_INTERVAL": _int("DB_KEEPALIVES_INTERVAL", 10),
        "DB_KEEPALIVES_COUNT": _int("DB_KEEPALIVES_COUNT", 3),
        "DB_POOL_SIZE": _int("DB_POOL_SIZE", 10),
        "DB_MAX_OVERFLOW": _int("DB_MAX_OVERFLOW", 10),
        "DB_POOL_TIMEOUT": _float("DB_POOL_TIMEOUT", 5),
        "DB_POOL_RECYCLE": _int("DB_POOL_RECYCLE", 1800),
        # Every request ends within this many seconds (503 past it; gevent workers only, sockets exempt).
        "REQUEST_TIMEOUT_SECONDS": _float("REQUEST_TIMEOUT_SECONDS", 30),
        # /readyz answers within this many seconds, whatever its dependencies do.
        "READYZ_TIMEOUT_SECONDS": _float("READYZ_TIMEOUT_SECONDS", 2),
        # Whether this app runs a CLI command (create_app decides): the DB_CLI_ limits apply then.
        "DB_CLI": False,
    }


def finalize_database(config):
    """Normalise the database URL and set engine options for its dialect.

    On PostgreSQL nothing can hold the database for long: a connection attempt gives up after
    DB_CONNECT_TIMEOUT seconds, TCP keepalives notice a dead peer, the server cancels a statement
    after DB_STATEMENT_TIMEOUT_MS and ends a session left idle inside a transaction after
    DB_IDLE_IN_TRANSACTION_TIMEOUT_MS, the pool pre-pings and a request waits at most DB_POOL_TIMEOUT
    seconds for a connection. CLI commands (`flask db upgrade`, `flask worker`, `flask demo-data`, ...)
    do long work on purpose: they get DB_CLI_STATEMENT_TIMEOUT_MS (default 0, none) and
    DB_CLI_IDLE_IN_TRANSACTION_TIMEOUT_MS instead. 0 turns a server-side timeout off."""
    url = config["SQLALCHEMY_DATABASE_URI"]
    # SQLAlchemy 2.1 maps a bare "postgresql://" to psycopg 3; we ship psycopg2.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg2://" + url[len(prefix) :]
    config["SQLALCHEMY_DATABASE_URI"] = url
    options = {"pool_pre_ping": True}
    if url.startswith("postgresql"):
        cli = config.get("DB_CLI", False)
        statement_ms = config["DB_CLI_STATEMENT_TIMEOUT_MS" if cli else "DB_STATEMENT_TIMEOUT_MS"]
        idle_ms = config["DB_CLI_IDLE_IN_TRANSACTION_TIMEOUT_MS" if cli else "DB_IDLE_IN_TRANSACTION_TIMEOUT_MS"]
        options["connect_args"] = {
            # libpq wants whole seconds (at least 2; it rounds 1 up).
            "connect_timeout": max(2, round(config["DB_CONNECT_TIMEOUT"])),
            "keepalives": 1,
            "keepalives_idle": config["DB_KEEPALIVES_IDLE"],
            "keepalives_interval": config["DB_KEEPALIVES_INTERVAL"],
            "keepalives_count": config["DB_KEEPALIVES_COUNT"],
            "options": f"-c statement_timeout={int(statement_ms)} "
            f"-c idle_in_transaction_session_timeout={int(idle_ms)}",
        }
        options.update(
            pool_size=config["DB_POOL_SIZE"],
            max_overflow=config["DB_MAX_OVERFLOW"],
            pool_timeout=config["DB_POOL_TIMEOUT"],
            pool_recycle=config["DB_POOL_RECYCLE"],
        )
    config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", options)


class ConfigError(RuntimeError):
    pass


def check_production(config):
    """Refuse to start in production with development secrets."""
    if config.get("ENV_NAME", "development") == "development":
        return
    for key in ("SECRET_KEY", "JWT_SECRET_KEY", "PASSWORD_PEPPER"):
        if config.get(key) in (None, "", DEV_SECRET) or len(config.get(key)) < 32:
            raise ConfigError(f"{key} must be set to a random value of at least 32 characters in production.")
