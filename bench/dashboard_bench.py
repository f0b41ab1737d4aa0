"""Time the admin dashboard's figures (memi.admin.analytics) on the benchmark database.

    DATABASE_URL=postgresql://postgres@127.0.0.1/memi_bench .venv/bin/python bench/dashboard_bench.py
Prints one JSON line: {"dashboard_ms_median": ..., "runs": [...]}."""

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DATABASE_URL", "postgresql://postgres@127.0.0.1/memi_bench")
os.environ.setdefault("LOG_LEVEL", "WARNING")

from memi import create_app  # noqa: E402
from memi.admin.analytics import analytics  # noqa: E402

app = create_app()
with app.app_context():
    analytics()  # warm-up
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        analytics()
        runs.append(round((time.perf_counter() - start) * 1000, 1))
print(json.dumps({"dashboard_ms_median": statistics.median(runs), "runs": runs}))
