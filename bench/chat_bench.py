"""Chat delivery benchmark: send-to-receive latency over /api/v1/ws with many open sockets.

    .venv/bin/python bench/chat_bench.py            (CHAT_BENCH_SOCKETS=1000, CHAT_BENCH_RATE=50, CHAT_BENCH_SECONDS=30)

For each setup (CHAT_BENCH_SETUPS: gthread and gevent worker classes, each with the in-process broker
and one gunicorn worker, and with Redis pub/sub and two workers) it starts the
app under the repo's gunicorn.conf.py on a fresh PostgreSQL database, opens SOCKETS sockets from a
separate client process (asyncio, `websockets`), half buyers and half sellers of SOCKETS/2 chats, sends
RATE messages a second for SECONDS across the chats from the buyers' sockets and measures, at the
sellers' sockets, the time from send to receive. Also reports memory per open socket (the workers' RSS
with the sockets open minus idle, divided by the number of sockets) and, while the messages flow, the
pages the same server serves to 8 wrk connections (home and product pages; CHAT_BENCH_PAGES=0 skips). Prints a table and writes
bench/results/chat-<timestamp>.json. Only loopback traffic.
"""

import asyncio
import json
import multiprocessing
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOCKETS = int(os.environ.get("CHAT_BENCH_SOCKETS", "1000"))
RATE = int(os.environ.get("CHAT_BENCH_RATE", "50"))
SECONDS = int(os.environ.get("CHAT_BENCH_SECONDS", "30"))
PG_URL = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432").rstrip("/")
DB = os.environ.get("CHAT_BENCH_DB", "memi_chatbench")
REDIS_URL = os.environ.get("CHAT_BENCH_REDIS", "redis://127.0.0.1:6379/14")
PAGES = os.environ.get("CHAT_BENCH_PAGES", "1") == "1"  # wrk on pages during the chat, 8 connections
# (worker class, broker): in-process runs one worker, Redis two.
SETUPS = [
    tuple(part.strip() for part in item.split(":"))
    for item in os.environ.get(
        "CHAT_BENCH_SETUPS", "gthread:in-process,gthread:redis,gevent:in-process,gevent:redis"
    ).split(",")
]
SECRET = "chat-bench-secret-key-chat-bench-secret-key"
ENV = dict(
    os.environ,
    DATABASE_URL=f"{PG_URL}/{DB}",
    SECRET_KEY=SECRET,
    JWT_SECRET_KEY=SECRET,
    PASSWORD_PEPPER=SECRET,
    RATELIMIT_ENABLED="false",
    GUNICORN_ACCESS_LOG="0",
    LOG_LEVEL="WARNING",
    MEDIA_ROOT="/tmp/memi-chatbench-media",
)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def setup():
    """A fresh database with SOCKETS/2 chats; returns [(chat_id, buyer_token, seller_token)]."""
    subprocess.run(["psql", PG_URL + "/postgres", "-qc", f"DROP DATABASE IF EXISTS {DB}"], check=True)
    subprocess.run(["psql", PG_URL + "/postgres", "-qc", f"CREATE DATABASE {DB}"], check=True)
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    subprocess.run(flask + ["db", "upgrade"], cwd=ROOT, env=ENV, check=True, capture_output=True)
    subprocess.run(flask + ["seed"], cwd=ROOT, env=ENV, check=True, capture_output=True)
    os.environ.update({k: ENV[k] for k in ("DATABASE_URL", "SECRET_KEY", "JWT_SECRET_KEY", "PASSWORD_PEPPER")})
    sys.path.insert(0, str(ROOT))
    import sqlalchemy as sa
    from flask_jwt_extended import create_access_token

    from memi import create_app
    from memi.auth.passwords import hash_password
    from memi.categories.models import Category
    from memi.chat.models import Chat
    from memi.columns import utcnow
    from memi.extensions import db
    from memi.products.models import Product
    from memi.users.models import User

    app = create_app()
    chats = SOCKETS // 2
    with app.app_context():
        now = utcnow()
        digest = hash_password("chat-bench")
        users = [
            {
                "email": f"u{i}@bench.test",
                "password_hash": digest,
                "name": f"User {i}",
                "role": "USER",
                "is_blocked": False,
                "auth_epoch": 0,
                "email_prefs": {"message": False},
                "created_at": now,
                "updated_at": now,
            }
            for i in range(chats * 2)
        ]
        db.session.execute(sa.insert(User), users)
        ids = db.session.scalars(sa.select(User.id).order_by(User.id)).all()
        category = db.session.scalar(sa.select(Category.id))
        db.session.execute(
            sa.insert(Product),
            [
                {
                    "seller_id": ids[2 * i + 1],
                    "category_id": category,
                    "title": f"Item {i}",
                    "description": "",
                    "price": 10,
                    "condition": "GOOD",
                    "status": "ACTIVE",
                    "favorite_count": 0,
                    "view_count": 0,
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(chats)
            ],
        )
        products = db.session.scalars(sa.select(Product.id).order_by(Product.id)).all()
        db.session.execute(
            sa.insert(Chat),
            [
                {
                    "product_id": products[i],
                    "buyer_id": ids[2 * i],
                    "seller_id": ids[2 * i + 1],
                    "created_at": now,
                    "last_message_at": now,
                    "buyer_last_read_id": 0,
                    "seller_last_read_id": 0,
                }
                for i in range(chats)
            ],
        )
        db.session.commit()
        chat_ids = db.session.scalars(sa.select(Chat.id).order_by(Chat.id)).all()
        with app.test_request_context():

            def token(uid):
                return create_access_token(
                    identity=str(uid),
                    additional_claims={"epoch": 0},
                    expires_delta=__import__("datetime").timedelta(hours=2),
                )

            return [(chat_ids[i], token(ids[2 * i]), token(ids[2 * i + 1])) for i in range(chats)]


def start_server(workers, threads, redis, worker_class="gthread"):
    port = free_port()
    env = dict(ENV, WEB_CONCURRENCY=str(workers), GUNICORN_THREADS=str(threads), GUNICORN_WORKER_CLASS=worker_class)
    if redis:
        env["REDIS_URL"] = redis
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(150):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return proc, port
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("server did not start")


def product_ids():
    out = subprocess.run(
        ["psql", f"{PG_URL}/{DB}", "-Atc", "SELECT id FROM products ORDER BY id LIMIT 50"],
        capture_output=True,
        text=True,
        check=True,
    )
    return [int(x) for x in out.stdout.split()]


def worker_rss_kb(master_pid):
    total = 0
    for pid in subprocess.run(["pgrep", "-P", str(master_pid)], capture_output=True, text=True).stdout.split():
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


async def _client(port, pairs, opened, go, results):
    import websockets

    sent, latencies = {}, []
    base = f"ws://127.0.0.1:{port}/api/v1/ws?token="

    async def open_socket(tok):
        for _ in range(5):
            try:
                return await websockets.connect(base + tok, max_size=2**20, open_timeout=30, ping_interval=None)
            except Exception:
                await asyncio.sleep(0.5)
        raise RuntimeError("could not open a socket")

    buyers, sellers = [], []
    for i in range(0, len(pairs), 50):  # open in batches so the server is not flooded
        batch = pairs[i : i + 50]
        buyers += await asyncio.gather(*(open_socket(b) for _, b, _ in batch))
        sellers += await asyncio.gather(*(open_socket(s) for _, _, s in batch))

    async def listen(ws):
        try:
            async for data in ws:
                frame = json.loads(data)
                if frame.get("type") == "message":
                    key = frame["message"]["body"]
                    if key in sent and ws in sellers_set:
                        latencies.append((time.perf_counter() - sent.pop(key)) * 1000)
        except Exception:
            pass

    sellers_set = set(sellers)
    listeners = [asyncio.create_task(listen(ws)) for ws in sellers + buyers]
    opened.set()
    while not go.is_set():
        await asyncio.sleep(0.05)
    total = RATE * SECONDS
    start = time.perf_counter()
    for n in range(total):
        delay = start + n / RATE - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        i = random.randrange(len(pairs))
        key = f"m{n}"
        sent[key] = time.perf_counter()
        await buyers[i].send(json.dumps({"type": "message", "chat_id": pairs[i][0], "body": key}))
    await asyncio.sleep(3)
    results.update(latencies=latencies, lost=len(sent), sent=total)
    for task in listeners:
        task.cancel()
    for ws in buyers + sellers:
        await ws.close()


def client_process(port, pairs, opened, go, queue):
    results = {}
    asyncio.run(_client(port, pairs, opened, go, results))
    queue.put(results)


def pct(values, p):
    values = sorted(values)
    return round(values[min(len(values) - 1, int(len(values) * p / 100))], 1) if values else None


def page_load(port, paths, box):
    """Pages requested while the sockets chat: wrk from its own process, as in `make bench`."""
    sys.path.insert(0, str(ROOT / "bench"))
    import run

    if not run.ensure_wrk():
        box["error"] = "wrk not installed"
        return
    try:
        box.update(run.run_wrk(f"http://127.0.0.1:{port}", paths, SECONDS))
    except Exception as exc:  # report it with the row
        box["error"] = f"{type(exc).__name__}: {exc}"


def scenario(name, pairs, workers, redis, worker_class, page_paths):
    threads = SOCKETS // workers + 60  # gthread: one thread per open socket, plus room for pages
    proc, port = start_server(workers, threads, redis, worker_class)
    try:
        time.sleep(1.0)
        idle = worker_rss_kb(proc.pid)
        opened, go = multiprocessing.Event(), multiprocessing.Event()
        queue = multiprocessing.Queue()
        client = multiprocessing.Process(target=client_process, args=(port, pairs, opened, go, queue))
        client.start()
        if not opened.wait(300):
            raise RuntimeError("sockets did not open")
        time.sleep(1.0)
        loaded = worker_rss_kb(proc.pid)
        pages = {}
        loader = threading.Thread(target=page_load, args=(port, page_paths, pages))
        go.set()
        if PAGES:
            loader.start()
        results = queue.get(timeout=SECONDS + 120)
        client.join(30)
        if PAGES:
            loader.join(SECONDS + 60)
        lat = results["latencies"]
        return {
            "scenario": name,
            "worker_class": worker_class,
            "sockets": SOCKETS,
            "workers": workers,
            "threads_per_worker": threads if worker_class == "gthread" else None,
            "sent": results["sent"],
            "lost": results["lost"],
            "p50_ms": pct(lat, 50),
            "p95_ms": pct(lat, 95),
            "p99_ms": pct(lat, 99),
            "mean_ms": round(statistics.mean(lat), 1) if lat else None,
            "kb_per_socket": round((loaded - idle) / SOCKETS, 1),
            "pages": pages,
        }
    finally:
        proc.terminate()
        proc.wait(20)


def main():
    print(f"setting up {SOCKETS // 2} chats ({SOCKETS} sockets) ...", flush=True)
    pairs = setup()
    page_paths = ["/"] + [f"/products/{product_id}" for product_id in product_ids()]
    rows = []
    for worker_class, broker in SETUPS:
        workers, redis = (1, None) if broker == "in-process" else (2, REDIS_URL)
        name = f"{worker_class}, {broker} broker"
        print(f"running: {name} ...", flush=True)
        try:
            rows.append(scenario(name, pairs, workers, redis, worker_class, page_paths))
        except Exception as exc:  # report what ran
            rows.append({"scenario": name, "error": f"{type(exc).__name__}: {exc}"})
        print(json.dumps(rows[-1]), flush=True)
    print()
    print(
        f"{'scenario':30} {'sockets':>7} {'sent':>6} {'lost':>5} {'p50':>7} {'p95':>7} {'p99':>7} {'KB/socket':>9}"
        f" {'pages/s':>8} {'page p95':>8}"
    )
    for r in rows:
        if "error" in r:
            print(f"{r['scenario']:30} {r['error']}")
            continue
        print(
            f"{r['scenario']:30} {r['sockets']:>7} {r['sent']:>6} {r['lost']:>5} {r['p50_ms']:>7} {r['p95_ms']:>7} "
            f"{r['p99_ms']:>7} {r['kb_per_socket']:>9} {r['pages'].get('rps', '-'):>8} {r['pages'].get('p95_ms', '-'):>8}"
        )
    out = ROOT / "bench" / "results" / f"chat-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"rate_per_s": RATE, "seconds": SECONDS, "rows": rows}, indent=2))
    print(f"results: {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
