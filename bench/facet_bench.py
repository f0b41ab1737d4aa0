"""Times the browse page's facets (memi.products.search.facets) on the database in DATABASE_URL.

    DATABASE_URL=postgresql://.../memi_bench python bench/facet_bench.py [FACET_SCAN ...]

Five searches (nothing, a common word, a size, a prefix, a category and a brand), seven runs each, the
median of the last five, for each FACET_SCAN given (default: the module's).
"""

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from memi import create_app  # noqa: E402
from memi.extensions import db  # noqa: E402
from memi.products import search  # noqa: E402

CASES = {
    "no filter": {},
    "q=zara": {"q": "zara"},
    "size=m": {"size": "m"},
    "q=nik": {"q": "nik"},
    "category+brand": {"category": "women-clothing", "brand": "zara"},
}


def main():
    app = create_app()
    for scan in [int(x) for x in sys.argv[1:]] or [search.FACET_SCAN]:
        search.FACET_SCAN = scan
        with app.app_context():
            for name, kwargs in CASES.items():
                params = search.SearchQuery(**kwargs)
                timings = []
                for _ in range(7):
                    started = time.perf_counter()
                    found = search.facets(params)
                    timings.append((time.perf_counter() - started) * 1000)
                    db.session.rollback()
                sampled = sum(f.sampled for f in found.values())
                print(f"FACET_SCAN={scan:>6}  {name:<15} {statistics.median(timings[2:]):6.1f} ms  sampled {sampled}/4")


if __name__ == "__main__":
    main()
