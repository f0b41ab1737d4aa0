"""`make bench`: memi.az against a bare Flask baseline on the same data, same gunicorn settings.

1. A fresh PostgreSQL database (BENCH_DB, default memi_bench): migrations, `flask seed`, then
   `flask demo-data` with BENCH_PRODUCTS listings (default 100000) and BENCH_PRODUCTS/50 sellers.
   BENCH_REUSE=1 keeps an existing, populated database instead.
2. The app (wsgi:app) and the baseline (bench/baseline.py) each under gunicorn with gunicorn.conf.py,
   WEB_CONCURRENCY=2, on free loopback ports.
3. Each scenario: BENCH_WARMUP s of warm-up, then BENCH_DURATION s with BENCH_CONNECTIONS keep-alive
   connections, from wrk (installed with apt-get when missing and possible) or a Python fallback, in a
   separate process. Requests/s and p50/p95/p99 latency per server.
4. The 12-megapixel photo time (bench/image_bench.py), EXPLAIN (ANALYZE, BUFFERS) of the search SQL the
   app runs for a rare and a common word, a table in the terminal and JSON in bench/results/.

Only loopback traffic; both servers are stopped at the end, on errors and on Ctrl-C.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
BIN = Path(sys.executable).parent

PRODUCTS = int(os.environ.get("BENCH_PRODUCTS", "100000"))
USERS = int(os.environ.get("BENCH_USERS", str(max(10, PRODUCTS // 50))))
REUSE = os.environ.get("BENCH_REUSE", "0") == "1"
PG_URL = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432").rstrip("/")
DB_NAME = os.environ.get("BENCH_DB", "memi_bench")
DURATION = int(os.environ.get("BENCH_DURATION", "10"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "2"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
WORKERS = os.environ.get("BENCH_WORKERS", "2")
MEDIA_ROOT = os.environ.get("BENCH_MEDIA_ROOT", str(Path(tempfile.gettempdir()) / "memi-bench-media"))

# Scenarios: (name, our path, baseline path or None). A path may hold {common}, {rare}, {prefix}, {typo},
# {product_id} (filled from the data), or be a list of paths to rotate through. Edit freely.
SCENARIOS = [
    ("home", "/", "/"),
    (
        "browse: filters",
        "/search?category=women-clothing&condition=VERY_GOOD&sort=newest",
        "/search?category=women-clothing&condition=VERY_GOOD&sort=newest",
    ),
    ("search page: common", "/search?q={common}", "/search?q={common}"),
    ("api: common term", "/api/v1/products?q={common}", "/api/v1/products?q={common}"),
    ("api: rare term", "/api/v1/products?q={rare}", "/api/v1/products?q={rare}"),
    ("api: prefix", "/api/v1/products?q={prefix}", "/api/v1/products?q={prefix}"),
    ("api: typo", "/api/v1/products?q={typo}", "/api/v1/products?q={typo}"),
    (
        "api: filters, no term",
        "/api/v1/products?category=men-shoes&min_price=20&max_price=100",
        "/api/v1/products?category=men-shoes&min_price=20&max_price=100",
    ),
    ("product page", "/products/{product_id}", "/products/{product_id}"),
    ("product pages: 200 ids", "{product_pages}", "{product_pages}"),
]
PREFERRED_PREFIX = "nik"
PREFERRED_TYPO = ("leather", "lether")

_children = []


# ---- helpers ----------------------------------------------------------------------------------


def say(message=""):
    print(message, flush=True)


def db_url(name=DB_NAME):
    return f"{PG_URL}/{name}"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg(sql, params=(), dbname=DB_NAME, autocommit=True, fetch=True):
    import psycopg2

    connection = psycopg2.connect(db_url(dbname), connect_timeout=5)
    try:
        connection.autocommit = autocommit
        with connection.cursor() as cursor:
            cursor.execute(sql, params or None)
            return cursor.fetchall() if fetch and cursor.description else None
    finally:
        connection.close()


def flask(*args, env, timeout=1800):
    started = time.perf_counter()
    result = subprocess.run(
        [str(BIN / "flask"), "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        say(result.stdout[-3000:] + result.stderr[-3000:])
        raise SystemExit(f"flask {' '.join(args)} failed ({result.returncode})")
    return result.stdout, round(time.perf_counter() - started, 1)


def app_env(**extra):
    env = dict(os.environ)
    env.update(
        DATABASE_URL=db_url(),
        MEMI_ENV="development",
        MEDIA_ROOT=MEDIA_ROOT,
        GUNICORN_ACCESS_LOG="0",
        WEB_CONCURRENCY=WORKERS,
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


# ---- 1. data ----------------------------------------------------------------------------------


def database_ready():
    try:
        rows = pg("SELECT count(*) FROM products")
    except Exception:
        return False
    return rows[0][0] > 0


def prepare_database():
    timings = {}
    if REUSE and database_ready():
        count = pg("SELECT count(*) FROM products")[0][0]
        say(f"Reusing {DB_NAME} ({count} listings); bringing its schema up to date ...")
        flask("db", "upgrade", env=app_env())
        return {"reused": True, "products": count}
    say(f"Creating {DB_NAME} with {PRODUCTS} listings and {USERS} sellers ...")
    pg(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)', dbname="postgres", fetch=False)
    pg(f'CREATE DATABASE "{DB_NAME}"', dbname="postgres", fetch=False)
    env = app_env()
    _, timings["migrate_s"] = flask("db", "upgrade", env=env)
    _, timings["seed_s"] = flask("seed", env=env)
    output, timings["demo_data_s"] = flask("demo-data", "--users", str(USERS), "--products", str(PRODUCTS), env=env)
    say("".join(line + "\n" for line in output.splitlines() if not line.startswith("  listings:")).rstrip())
    say(f"migrate {timings['migrate_s']}s, seed {timings['seed_s']}s, demo-data {timings['demo_data_s']}s")
    return {"reused": False, "products": PRODUCTS, "users": USERS, **timings}


def pick_terms():
    """Search words and listings taken from the data, so every scenario means the same at any size."""
    common = pg(
        "SELECT lower(brand) FROM products WHERE status = 'ACTIVE' AND brand ~ '^[A-Za-z]+$' "
        "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
    )[0][0]
    # The rarest word of at least 5 letters that is no prefix of another word, so `word:*` stays rare.
    rare = pg(
        """SELECT word FROM ts_stat('SELECT search_vector FROM products WHERE status = ''ACTIVE''') s
           WHERE length(word) >= 5 AND word ~ '^[a-z]+$'
             AND NOT EXISTS (SELECT 1 FROM search_terms t WHERE t.term LIKE s.word || '_%')
           ORDER BY ndoc, word LIMIT 1"""
    )[0][0]
    terms = {t for (t,) in pg("SELECT term FROM search_terms")}
    prefix = PREFERRED_PREFIX if any(t.startswith(PREFERRED_PREFIX) for t in terms) else common[:3]
    word, typo = PREFERRED_TYPO
    if word not in terms:
        typo = common[0] + common[2] + common[1] + common[3:]  # "zara" -> "zraa"
    (count, total) = pg(
        "SELECT count(*) FILTER (WHERE search_vector @@ to_tsquery('simple', %s)), count(*) FROM products "
        "WHERE status = 'ACTIVE'",
        (rare + ":*",),
    )[0]
    ids = [
        i
        for (i,) in pg(
            """SELECT p.id FROM products p JOIN users u ON u.id = p.seller_id
               WHERE p.status = 'ACTIVE' AND p.removed_at IS NULL AND NOT u.is_blocked
               ORDER BY md5(p.id::text) LIMIT 201"""
        )
    ]
    return {
        "common": common,
        "rare": rare,
        "rare_matches": count,
        "active_listings": total,
        "prefix": prefix,
        "typo": typo,
        "product_id": ids[0],
        "product_pages": [f"/products/{i}" for i in ids[1:]],
    }


def fill(path, terms):
    if path is None:
        return None
    if path == "{product_pages}":
        return terms["product_pages"]
    values = {k: quote(str(v)) for k, v in terms.items() if not isinstance(v, list)}
    return [path.format(**values)]


# ---- 2. servers -------------------------------------------------------------------------------


class Server:
    def __init__(self, name, target, extra_args=()):
        self.name, self.target, self.extra_args = name, target, list(extra_args)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.NamedTemporaryFile(prefix=f"memi-bench-{name}-", suffix=".log", delete=False)
        self.process = None

    def start(self):
        bind = f"127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py", "--bind", bind, *self.extra_args, self.target],
            cwd=ROOT,
            env=app_env(GUNICORN_BIND=bind),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        _children.append(self)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name} exited at start; see {self.log.name}:\n{self.tail()}")
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return self
            except (OSError, urllib.error.URLError):
                time.sleep(0.25)
        raise SystemExit(f"{self.name} did not answer within 60 s; see {self.log.name}")

    def tail(self, lines=30):
        try:
            return "\n".join(Path(self.log.name).read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=25)
        except (subprocess.TimeoutExpired, ProcessLookupError):
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait(timeout=5)

    def status(self, path):
        try:
            with urllib.request.urlopen(self.base + path, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code
        except (OSError, urllib.error.URLError):
            return None


def stop_all():
    for server in reversed(_children):
        server.stop()


# ---- 3. load ----------------------------------------------------------------------------------

WRK_LUA = """
local paths = {%(paths)s}
local requests = {}
local n = 0
init = function(args)
  for i, p in ipairs(paths) do requests[i] = wrk.format("GET", p) end
end
request = function()
  n = n %% #requests + 1
  return requests[n]
end
done = function(summary, latency, reqs)
  local e = summary.errors
  io.write(string.format(
    'BENCHJSON {"requests": %%d, "duration_us": %%d, "non2xx": %%d, "errors": %%d, "p50_us": %%d, "p95_us": %%d, "p99_us": %%d, "mean_us": %%.1f, "max_us": %%d}\\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.mean, latency.max))
end
"""


def ensure_wrk():
    if shutil.which("wrk") or os.environ.get("BENCH_NO_WRK") == "1":
        return shutil.which("wrk")
    if shutil.which("apt-get") and os.geteuid() == 0:
        say("wrk is missing: apt-get install -y wrk ...")
        subprocess.run(["apt-get", "install", "-y", "wrk"], capture_output=True, timeout=300)
    return shutil.which("wrk")


def run_wrk(base, paths, seconds):
    lua = WRK_LUA % {"paths": ", ".join(json.dumps(p) for p in paths)}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(lua)
    try:
        threads = max(1, min(2, CONNECTIONS))
        result = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s", "-s", f.name, base],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
        )
    finally:
        os.unlink(f.name)
    line = next((x for x in result.stdout.splitlines() if x.startswith("BENCHJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no summary: {result.stdout[-500:]} {result.stderr[-500:]}")
    data = json.loads(line[len("BENCHJSON ") :])
    duration = data["duration_us"] / 1e6
    return {
        "requests": data["requests"],
        "rps": round(data["requests"] / duration, 1) if duration else 0.0,
        "p50_ms": data["p50_us"] / 1000,
        "p95_ms": data["p95_us"] / 1000,
        "p99_ms": data["p99_us"] / 1000,
        "mean_ms": round(data["mean_us"] / 1000, 2),
        "max_ms": data["max_us"] / 1000,
        "non2xx": data["non2xx"],
        "errors": data["errors"],
    }


def python_load(base, paths, seconds, connections):
    """The fallback load generator (runs in its own process): keep-alive connections, one thread each."""
    import http.client

    host, port = base.removeprefix("http://").split(":")
    deadline = time.perf_counter() + seconds
    latencies, non2xx, errors = [], [0], [0]
    lock = threading.Lock()

    def worker(offset):
        conn, local, bad, failed = None, [], 0, 0
        i = offset
        while time.perf_counter() < deadline:
            path = paths[i % len(paths)]
            i += 1
            start = time.perf_counter()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(host, int(port), timeout=10)
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                if not 200 <= response.status < 400:
                    bad += 1
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException):
                failed += 1
                conn = None
                continue
            local.append(time.perf_counter() - start)
        with lock:
            latencies.extend(local)
            non2xx[0] += bad
            errors[0] += failed

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(p):
        return round(latencies[min(len(latencies) - 1, int(len(latencies) * p / 100))] * 1000, 2) if latencies else 0

    return {
        "requests": len(latencies),
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": pct(50),
        "p95_ms": pct(95),
        "p99_ms": pct(99),
        "mean_ms": round(statistics.fmean(latencies) * 1000, 2) if latencies else 0,
        "max_ms": round(latencies[-1] * 1000, 2) if latencies else 0,
        "non2xx": non2xx[0],
        "errors": errors[0],
    }


def run_python_load(base, paths, seconds):
    spec = json.dumps({"base": base, "paths": paths, "seconds": seconds, "connections": CONNECTIONS})
    result = subprocess.run(
        [sys.executable, __file__, "--load", spec], capture_output=True, text=True, timeout=seconds + 60
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-1000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure(server, paths, tool):
    """Status of the first path, then warm-up and a measured run; None figures when the page fails."""
    status = server.status(paths[0])
    outcome = {"path": paths[0] if len(paths) == 1 else f"{paths[0]} (+{len(paths) - 1} more)", "status": status}
    if status is None or not 200 <= status < 400:
        return outcome
    load = run_wrk if tool == "wrk" else run_python_load
    if WARMUP:
        load(server.base, paths, WARMUP)
    outcome.update(load(server.base, paths, DURATION))
    return outcome


# ---- 4. extras --------------------------------------------------------------------------------


def image_bench(name="image_bench.py", env=None):
    """Run one of the side benchmarks (a script printing one JSON line) and return its figures."""
    script = ROOT / "bench" / name
    if not script.exists():
        return "n/a"
    try:
        result = subprocess.run(
            [sys.executable, str(script)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
            env=dict(os.environ, **(env or {})),
        )
        line = [x for x in result.stdout.splitlines() if x.strip().startswith("{")][-1]
        return json.loads(line)
    except (subprocess.TimeoutExpired, IndexError, json.JSONDecodeError) as exc:
        return f"n/a ({type(exc).__name__})"


def explain_search(words):
    """EXPLAIN (ANALYZE, BUFFERS) of the SQL memi.products.search runs for each word: the statements
    are captured from the app's own engine while it searches, then explained with the same parameters."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import sqlalchemy as sa

    from memi import create_app
    from memi.extensions import db
    from memi.products.search import SearchQuery, search

    app = create_app({"SQLALCHEMY_DATABASE_URI": db_url(), "MEDIA_ROOT": MEDIA_ROOT})
    plans = {}
    with app.app_context():
        captured = []

        def capture(conn, cursor, statement, parameters, context, executemany):
            if "search_vector @@" in statement:
                captured.append((statement, parameters))

        sa.event.listen(db.engine, "before_cursor_execute", capture)
        try:
            for label, word in words.items():
                captured.clear()
                result = search(SearchQuery(q=word, limit=20))
                statements = list(captured)
                texts = []
                for statement, parameters in statements:
                    plan = db.session.connection().exec_driver_sql(
                        "EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters
                    )
                    texts.append(statement.strip() + "\n" + "\n".join(r[0] for r in plan))
                plans[label] = {"word": word, "total": result.total, "statements": texts}
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", capture)
            db.session.rollback()
            db.session.remove()
            db.engine.dispose()
    return plans


# ---- 5. report --------------------------------------------------------------------------------


def fmt(value, digits=1):
    if value is None:
        return "-"
    return f"{value:.{digits}f}" if isinstance(value, float) else str(value)


def table(rows):
    header = (
        "scenario",
        "ours req/s",
        "p50",
        "p95",
        "p99",
        "base req/s",
        "p50",
        "p95",
        "p99",
        "ours/base",
        "notes",
    )
    lines = []
    for row in rows:
        ours, base = row["ours"], row.get("baseline") or {}

        def cells(side):
            if side.get("rps") is None:
                status = side.get("status")
                return [f"HTTP {status}" if status else ("n/a" if not side else "down"), "", "", ""]
            return [fmt(side["rps"]), fmt(side["p50_ms"]), fmt(side["p95_ms"]), fmt(side["p99_ms"])]

        ratio = row.get("ratio")
        notes = [
            f"{label}: {side.get('non2xx', 0)} non-2xx, {side.get('errors', 0)} errors"
            for label, side in (("ours", ours), ("base", base))
            if side.get("non2xx") or side.get("errors")
        ]
        lines.append([row["name"], *cells(ours), *cells(base), f"{ratio:.2f}" if ratio else "-", "; ".join(notes)])
    widths = [max(len(str(x)) for x in col) for col in zip(header, *lines, strict=True)]
    out = ["  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(header, widths, strict=True)))]
    out.append("  ".join("-" * w for w in widths))
    for line in lines:
        out.append(
            "  ".join(
                str(c).ljust(w) if i == 0 else str(c).rjust(w)
                for i, (c, w) in enumerate(zip(line, widths, strict=True))
            )
        )
    return "\n".join(out) + "\n(latencies in ms; ours/base = throughput ratio)"


def git_revision():
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=10
        ).stdout.strip()
    except OSError:
        return None


def main():
    started = time.perf_counter()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    report = {
        "timestamp": stamp,
        "git": git_revision(),
        "settings": {
            "products": PRODUCTS,
            "users": USERS,
            "duration_s": DURATION,
            "warmup_s": WARMUP,
            "connections": CONNECTIONS,
            "gunicorn_workers": int(WORKERS),
            "cpus": os.cpu_count(),
        },
    }
    report["settings"]["loadavg_at_start"] = os.getloadavg()
    if os.getloadavg()[0] > (os.cpu_count() or 1) * 0.5:
        say(f"note: the machine is already busy (load average {os.getloadavg()[0]:.1f}); figures will be noisy.")
    report["data"] = prepare_database()
    terms = pick_terms()
    report["terms"] = {k: v for k, v in terms.items() if k != "product_pages"}
    say(
        f"terms: common={terms['common']!r} rare={terms['rare']!r} ({terms['rare_matches']} of "
        f"{terms['active_listings']} active) prefix={terms['prefix']!r} typo={terms['typo']!r} "
        f"product={terms['product_id']}"
    )
    tool = "wrk" if ensure_wrk() else "python"
    report["settings"]["load_generator"] = tool

    ours = Server("memi", "wsgi:app").start()
    baseline = Server("baseline", "baseline:app", ["--pythonpath", str(ROOT / "bench")]).start()
    say(f"servers: memi {ours.base}, baseline {baseline.base}; load: {tool}, {CONNECTIONS} connections, {DURATION}s")

    rows = []
    for name, our_path, base_path in SCENARIOS:
        row = {"name": name, "ours": measure(ours, fill(our_path, terms), tool)}
        base_paths = fill(base_path, terms)
        row["baseline"] = measure(baseline, base_paths, tool) if base_paths else {}
        if row["ours"].get("rps") and row["baseline"].get("rps"):
            row["ratio"] = round(row["ours"]["rps"] / row["baseline"]["rps"], 3)
        rows.append(row)
        o, b = row["ours"], row["baseline"]
        say(
            f"  {name}: ours {o.get('rps', 'HTTP ' + str(o.get('status')))} req/s, "
            f"baseline {b.get('rps', 'HTTP ' + str(b.get('status')) if b else '-')} req/s"
            + (f" (non-2xx: {o.get('non2xx')})" if o.get("non2xx") else "")
        )
    report["scenarios"] = rows
    report["settings"]["loadavg_after_load"] = os.getloadavg()
    stop_all()

    say("timing the photo pipeline ...")
    report["image"] = image_bench()
    say("timing the admin dashboard ...")
    report["dashboard"] = image_bench("dashboard_bench.py", {"DATABASE_URL": f"{PG_URL}/{DB_NAME}"})
    say("explaining the search SQL ...")
    try:
        report["explain"] = explain_search({"rare": terms["rare"], "common": terms["common"]})
    except Exception as exc:  # a broken search must not lose the figures above
        report["explain"] = f"failed: {type(exc).__name__}: {exc}"

    say("")
    if isinstance(report["explain"], dict):
        for label, plan in report["explain"].items():
            say(f"==== EXPLAIN (ANALYZE, BUFFERS): {label} word {plan['word']!r}, {plan['total']} matches ====")
            for text in plan["statements"]:
                say(text)
                say("")
    else:
        say(report["explain"])
    say(table(rows))
    say(
        "load average: {:.1f} at start, {:.1f} after the load runs ({} CPUs)".format(
            report["settings"]["loadavg_at_start"][0], report["settings"]["loadavg_after_load"][0], os.cpu_count()
        )
    )
    image = report["image"]
    say("12 MP photo: " + (f"{image['image_12mp_ms_median']} ms (median)" if isinstance(image, dict) else str(image)))
    dash = report["dashboard"]
    say("admin dashboard: " + (f"{dash['dashboard_ms_median']} ms (median)" if isinstance(dash, dict) else str(dash)))
    report["elapsed_s"] = round(time.perf_counter() - started, 1)
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{stamp}.json"
    path.write_text(json.dumps(report, indent=2, default=str))
    say(f"results: {path.relative_to(ROOT)} (whole run {report['elapsed_s']}s)")


def _terminate(signum, frame):
    raise KeyboardInterrupt


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--load":
        spec = json.loads(sys.argv[2])
        print(json.dumps(python_load(spec["base"], spec["paths"], spec["seconds"], spec["connections"])))
        sys.exit(0)
    argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter).parse_args()
    signal.signal(signal.SIGTERM, _terminate)
    try:
        main()
    except KeyboardInterrupt:
        say("interrupted")
        sys.exit(130)
    finally:
        stop_all()
