"""Real processes for the fault tests, each on its own free port, each stoppable and restartable:

- `PgCluster`: a PostgreSQL cluster of our own (initdb as the postgres OS user when run as root) that can be
  restarted, stopped and frozen (SIGSTOP of the postmaster and its children);
- `RedisServer`: a redis-server of our own, stopped and started on the same port;
- `SMTPSink`: an SMTP server (aiosmtpd) that keeps what it receives, can be stopped and started on the same
  port, and can be slowed down after it has accepted a message (a delayed QUIT);
- `AppServer`: the app under gunicorn (gunicorn.conf.py, gevent, two workers);
- `MailWorker`: the `flask worker` email process.

Nothing here touches the machine's own PostgreSQL (5432) or Redis (6379): every process is started here, is
found by the pid we started (or the cluster's postmaster.pid in our own data directory), and is stopped here.
"""

import asyncio
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from email import message_from_bytes, policy
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]

SECRETS = {
    "SECRET_KEY": "faults-secret-key-0123456789-0123456789-abcdef",
    "JWT_SECRET_KEY": "faults-jwt-secret-0123456789-0123456789-abcdef",
    "PASSWORD_PEPPER": "faults-pepper-0123456789-0123456789-abcdef",
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, timeout, message, interval=0.1):
    """Poll `predicate` until it returns something truthy (returned) or `timeout` seconds pass (AssertionError)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{message} (waited {timeout}s)")
        time.sleep(interval)


def children(pid):
    """Live (not zombie) child processes of `pid`, read from /proc."""
    kids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may hold spaces and parentheses.
        state, ppid = stat.rsplit(")", 1)[1].split()[:2]
        if int(ppid) == pid and state != "Z":
            kids.append(int(entry))
    return sorted(kids)


def alive(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def tail(path, lines=40):
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


# ---- what the fault tests need from the machine ---------------------------------------------------------


def pg_bin_dir():
    """The directory holding initdb and pg_ctl (PG_BIN, else PostgreSQL 15's, else any), or None."""
    candidates = []
    if os.environ.get("PG_BIN"):
        candidates.append(Path(os.environ["PG_BIN"]))
    candidates.append(Path("/usr/lib/postgresql/15/bin"))
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    found = shutil.which("initdb")
    if found:
        candidates.append(Path(found).resolve().parent)
    for directory in candidates:
        if (directory / "initdb").exists() and (directory / "pg_ctl").exists():
            return directory
    return None


def missing_tools():
    """Why the fault stack cannot run here (a sentence), or None."""
    if pg_bin_dir() is None:
        return "PostgreSQL server binaries (initdb, pg_ctl) not found; install postgresql or set PG_BIN"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root without a 'postgres' OS user to run initdb as"
    if shutil.which("redis-server") is None:
        return "redis-server not found; install redis-server"
    return None


# ---- PostgreSQL ----------------------------------------------------------------------------------------


class PgCluster:
    def __init__(self, base):
        self.bin = pg_bin_dir()
        self.base = base
        self.dir = base / "pgdata"
        self.log = base / "postgresql.log"
        self.port = free_port()
        self.frozen = []

    def _run(self, tool, *args, check=True, timeout=60):
        cmd = [str(self.bin / tool), *args]
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        result = subprocess.run(cmd, cwd=self.base, capture_output=True, text=True, timeout=timeout)
        if check and result.returncode != 0:
            raise RuntimeError(f"{tool} {' '.join(args)} failed: {result.stdout}\n{result.stderr}\n{tail(self.log)}")
        return result

    @property
    def _options(self):
        # fsync off: the tests stop the server cleanly (fast shutdown checkpoints); they never crash the OS.
        return f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"

    def init(self):
        self._run("initdb", "-D", str(self.dir), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "-N")
        self.start()
        import psycopg2

        conn = psycopg2.connect(self.url("postgres"), connect_timeout=5)
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("CREATE DATABASE memi")
        conn.close()

    def url(self, database="memi"):
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def start(self):
        self._run("pg_ctl", "-D", str(self.dir), "-l", str(self.log), "-o", self._options, "-w", "-t", "30", "start")

    def restart(self, mode="fast"):
        self._run(
            "pg_ctl", "-D", str(self.dir), "-l", str(self.log), "-o", self._options, "-m", mode, "-w", "-t", "30",
            "restart",
        )  # fmt: skip

    def stop(self, mode="fast"):
        self.thaw()
        self._run("pg_ctl", "-D", str(self.dir), "-m", mode, "-w", "-t", "30", "stop", check=False)

    def postmaster(self):
        try:
            pid = int((self.dir / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None
        # Only a live postmaster of this data directory (never a reused pid, never another cluster).
        try:
            ours = str(self.dir).encode() in Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return None
        return pid if ours and alive(pid) else None

    def running(self):
        return self.postmaster() is not None

    def freeze(self):
        """SIGSTOP the postmaster (first, so it forks no one new) and every backend: connections stay open and
        every query on them, and every new connection's start-up, waits without an answer."""
        postmaster = self.postmaster()
        assert postmaster, "PostgreSQL is not running"
        os.kill(postmaster, signal.SIGSTOP)
        self.frozen = [postmaster]
        for pid in children(postmaster):
            os.kill(pid, signal.SIGSTOP)
            self.frozen.append(pid)

    def thaw(self):
        for pid in reversed(self.frozen):
            try:
                os.kill(pid, signal.SIGCONT)
            except ProcessLookupError:
                pass
        self.frozen = []

    def query(self, sql, params=None):
        import psycopg2

        conn = psycopg2.connect(self.url(), connect_timeout=5)
        try:
            with conn.cursor() as cur:
                cur.execute(sql, params)
                return cur.fetchall()
        finally:
            conn.close()

    def destroy(self):
        self.thaw()
        if self.running():
            self.stop("immediate")


# ---- Redis ---------------------------------------------------------------------------------------------


class RedisServer:
    def __init__(self, base):
        self.base = base
        self.port = free_port()
        self.log = base / "redis.log"
        self.proc = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def ping(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def start(self):
        cmd = [
            "redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--dir", str(self.base), "--logfile", str(self.log),
        ]  # fmt: skip
        self.proc = subprocess.Popen(cmd, cwd=self.base, stdin=subprocess.DEVNULL, start_new_session=True)
        wait_until(self.ping, 15, "redis-server did not answer PING")

    def freeze(self):
        self.proc.send_signal(signal.SIGSTOP)

    def thaw(self):
        if self.running():
            self.proc.send_signal(signal.SIGCONT)

    def stop(self):
        if self.proc is None:
            return
        self.thaw()
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.proc = None


# ---- SMTP ----------------------------------------------------------------------------------------------


@dataclass
class Received:
    recipients: tuple
    message_id: str
    subject: str
    at: float


class SMTPSink:
    """An SMTP server that keeps what it receives. `quit_delay` seconds: after accepting a message (250 to
    DATA), it waits before answering QUIT, which is the window where a sender has handed the message over
    but not yet recorded it as sent. `quitting` counts the sessions inside that wait."""

    def __init__(self):
        self.port = free_port()
        self.received = []
        self.quit_delay = 0.0
        self.quitting = 0
        self._controller = None

    def start(self):
        from aiosmtpd.controller import Controller

        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                msg = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
                sink.received.append(
                    Received(tuple(envelope.rcpt_tos), str(msg["Message-ID"]), str(msg["Subject"]), time.time())
                )
                session.memi_accepted = True
                return "250 OK"

            async def handle_QUIT(self, server, session, envelope):
                if sink.quit_delay and getattr(session, "memi_accepted", False):
                    sink.quitting += 1
                    try:
                        await asyncio.sleep(sink.quit_delay)
                    finally:
                        sink.quitting -= 1
                return "221 Bye"

        self._controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self):
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def running(self):
        return self._controller is not None

    def to(self, recipient):
        return [r for r in self.received if recipient in r.recipients]


# ---- the app and the email worker ----------------------------------------------------------------------


def app_environment(pg, redis, smtp, port, media_root):
    """A production configuration (MEMI_ENV=production, real secrets) against our own services. Only the
    limits a test run would exceed are raised; the rest is as an operator would run it."""
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR") if k in os.environ}
    env.update(SECRETS)
    env.update(
        MEMI_ENV="production",
        DATABASE_URL=pg.url(),
        REDIS_URL=redis.url,
        BASE_URL=f"http://127.0.0.1:{port}",
        # The tests speak plain HTTP to gunicorn; behind TLS this stays at its default (on).
        SESSION_COOKIE_SECURE="false",
        MEDIA_ROOT=str(media_root),
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=str(smtp.port),
        MAIL_TIMEOUT="5",
        # An email whose worker died in flight is sent again after this long (the email fix's setting).
        MAIL_SENDING_TIMEOUT="5",
        # After a Redis failure the app tries Redis again this soon (default 10 s), so that recovery is seen
        # within the tests' bounds.
        REDIS_RETRY_SECONDS="2",
        WORKER_POLL_SECONDS="0.5",
        RATELIMIT_AUTH_PER_IP="100000 per minute",
        RATELIMIT_AUTH_PER_ACCOUNT="100000 per minute",
        RATELIMIT_LOGIN_PER_ACCOUNT_IP="100000 per minute",
        RATELIMIT_LOGIN_PER_ACCOUNT="100000 per minute",
        CHAT_MESSAGE_RATE="100000 per minute",
        REPORT_RATE="100000 per hour",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKER_CLASS="gevent",
        WEB_CONCURRENCY="2",
        GUNICORN_TIMEOUT="30",
        PYTHONUNBUFFERED="1",
        LOG_LEVEL="INFO",
    )
    return env


def run_flask(env, *args, timeout=120):
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


class _Process:
    """A child process whose output goes to a log file in the run's directory."""

    def __init__(self, env, log):
        self.env = env
        self.log = log
        self.proc = None

    def _spawn(self, cmd):
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(
                cmd, cwd=ROOT, env=self.env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, grace=20):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(grace)
            except subprocess.TimeoutExpired:
                pass
        try:  # whatever is left of its process group
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.proc.wait(10)
        self.proc = None

    def kill(self):
        """SIGKILL the process itself (no chance to clean up), and reap it."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)
        self.proc = None


class AppServer(_Process):
    WORKERS = 2

    def __init__(self, env, log, port):
        super().__init__(env, log)
        self.port = port
        self.url = f"http://127.0.0.1:{port}"

    def start(self):
        # Its own control socket: the default one (~/.gunicorn/gunicorn.ctl) is shared with any other gunicorn.
        control = self.log.parent / "gunicorn.ctl"
        self._spawn(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--config",
                "gunicorn.conf.py",
                "--control-socket",
                str(control),
                "wsgi:app",
            ]
        )
        self.wait_ready(60)

    def workers(self):
        return children(self.proc.pid) if self.running() else []

    def healthy(self):
        try:
            return requests.get(self.url + "/healthz", timeout=3).status_code == 200
        except requests.RequestException:
            return False

    def wait_ready(self, timeout):
        def ready():
            assert self.running(), f"gunicorn exited:\n{tail(self.log)}"
            return len(self.workers()) == self.WORKERS and self.healthy()

        wait_until(ready, timeout, f"gunicorn did not come up with {self.WORKERS} workers")


class MailWorker(_Process):
    def start(self):
        offset = self.log.stat().st_size if self.log.exists() else 0
        self._spawn([sys.executable, "-m", "flask", "--app", "wsgi", "worker"])

        def started():
            assert self.running(), f"the email worker exited:\n{tail(self.log)}"
            with open(self.log, "rb") as f:
                f.seek(offset)
                return b"worker started" in f.read()

        wait_until(started, 30, "the email worker did not start")


class Stack:
    """Everything the fault tests run against, started once per session."""

    def __init__(self, base):
        self.base = base
        self.pg = PgCluster(base)
        self.redis = RedisServer(base)
        self.smtp = SMTPSink()
        port = free_port()
        self.env = app_environment(self.pg, self.redis, self.smtp, port, base / "media")
        self.app = AppServer(self.env, base / "gunicorn.log", port)
        self.worker = MailWorker(self.env, base / "worker.log")

    def start(self):
        self.pg.init()
        self.redis.start()
        self.smtp.start()
        run_flask(self.env, "db", "upgrade")
        run_flask(self.env, "seed")
        self.app.start()
        self.worker.start()

    def restore(self):
        """Put back whatever a test (or a failed test) left stopped, frozen or slowed down."""
        self.pg.thaw()
        self.redis.thaw()
        if not self.pg.running():
            self.pg.start()
        if not self.redis.running():
            self.redis.start()
        self.smtp.quit_delay = 0.0
        if not self.smtp.running():
            self.smtp.start()
        if not self.worker.running():
            self.worker.start()
        if not self.app.running():
            self.app.start()
        self.app.wait_ready(60)

    def destroy(self):
        """Stop everything, whatever state it is in (the cluster is thawed before it is stopped)."""
        errors = []
        for step in (
            self.pg.thaw,
            self.redis.thaw,
            self.worker.stop,
            self.app.stop,
            self.smtp.stop,
            self.redis.stop,
            self.pg.destroy,
        ):
            try:
                step()
            except Exception as exc:  # noqa: BLE001 - clean up the rest whatever fails
                errors.append(f"{step.__qualname__}: {exc!r}")
        shutil.rmtree(self.base, ignore_errors=True)
        return errors

    def logs(self, lines=40):
        return {
            "gunicorn": tail(self.app.log, lines),
            "worker": tail(self.worker.log, lines),
            "postgresql": tail(self.pg.log, lines),
            "redis": tail(self.redis.log, lines),
        }


def make_base_dir():
    """A temporary directory the postgres OS user owns (initdb and the server write in it)."""
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="memi-faults-"))
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(base, user.pw_uid, user.pw_gid)
    return base


def in_thread(fn, *args, **kwargs):
    """Run fn(*args, **kwargs) in a daemon thread; returns (thread, result list: [value] or [exception])."""
    result = []

    def run():
        try:
            result.append(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller
            result.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, result
