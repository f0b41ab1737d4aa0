"""Search shapes, timed in-process against a PostgreSQL database of demo data (`make bench` runs it).

Builds the database the way bench/run.py does (migrations, `flask seed`, `flask demo-data`; BENCH_DB,
default memi_search_bench, BENCH_PRODUCTS default 100000, BENCH_REUSE=1 keeps a populated one), then
times `memi.products.search.search()` and the JSON endpoint /api/v1/products?q=... (Flask's test
client, no network) for each shape: SEARCH_BENCH_RUNS runs (default 25) after 3 warm-up runs, median.
No load generator, no gunicorn: this isolates the database and Python work of one search.
"""

import json
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

os.environ.setdefault("BENCH_DB", "memi_search_bench")
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import run as bench_run  # noqa: E402  (bench/run.py: database set-up)

RUNS = int(os.environ.get("SEARCH_BENCH_RUNS", "25"))
WARMUP = 3
# (shape, query): the same queries before and after a change, so the medians compare.
SHAPES = [
    ("common word", "zara"),
    ("two words", "nike krossovka"),
    ("prefix", "nik"),
    ("typo (English)", "lether"),
    ("Russian word", "кроссовки"),
    ("Azerbaijani word typed without its letters", "godekce"),
    ("Azerbaijani word, folded, two words", "qara deri"),
]


def median_ms(fn):
    for _ in range(WARMUP):
        fn()
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def main():
    data = bench_run.prepare_database()
    os.environ.update(DATABASE_URL=bench_run.db_url(), MEMI_ENV="development", LOG_LEVEL="WARNING")
    from memi import create_app
    from memi.extensions import db
    from memi.products import search

    app = create_app({"RATELIMIT_ENABLED": False})
    client = app.test_client()
    rows = []
    for shape, q in SHAPES:
        with app.app_context():
            result = search.search(search.SearchQuery(q=q))
            found = f"{result.total}{'+' if result.total_is_lower_bound else ''}"
            corrected = result.corrected_q

            def service(q=q):
                search.search(search.SearchQuery(q=q))
                db.session.rollback()

            service_ms = median_ms(service)
        url = f"/api/v1/products?q={quote(q)}"
        assert client.get(url).status_code == 200
        api_ms = median_ms(lambda url=url: client.get(url))
        rows.append(
            {
                "shape": shape,
                "q": q,
                "matches": found,
                "corrected": corrected,
                "service_ms": service_ms,
                "api_ms": api_ms,
            }
        )
        print(
            f"{shape:48} {q!r:20} {found:>6} matches  search() {service_ms:7.1f} ms  api {api_ms:7.1f} ms", flush=True
        )
    report = {
        "timestamp": datetime.now(UTC).isoformat(),
        "git": bench_run.git_revision(),
        "data": data,
        "runs": RUNS,
        "loadavg": os.getloadavg(),
        "rows": rows,
    }
    print(f"load average {os.getloadavg()[0]:.1f} ({os.cpu_count()} CPUs)")
    bench_run.RESULTS.mkdir(parents=True, exist_ok=True)
    path = bench_run.RESULTS / f"search-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}.json"
    path.write_text(json.dumps(report, indent=2, default=str))
    print(f"results: {path}")


if __name__ == "__main__":
    main()
