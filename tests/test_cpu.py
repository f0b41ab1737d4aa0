"""Under gevent, CPU-heavy steps run in the thread pool: the other requests and sockets of the process
go on meanwhile, and errors still reach the caller. Run in a subprocess, as gevent patches the process."""

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = textwrap.dedent(
    """
    from gevent import monkey
    monkey.patch_all()
    import io, time
    import gevent
    from PIL import Image
    from memi.errors import UnsupportedMediaType
    from memi.uploads.images import process_image

    ticks = []
    def ticker():
        while True:
            ticks.append(time.perf_counter())
            gevent.sleep(0.005)
    gevent.spawn(ticker)
    gevent.sleep(0.02)
    buf = io.BytesIO()
    Image.effect_noise((4000, 3000), 60).convert("RGB").save(buf, "JPEG")
    start = time.perf_counter()
    photo = process_image(buf.getvalue())
    took = time.perf_counter() - start
    during = [t for t in ticks if start <= t <= start + took]
    try:
        process_image(b"<svg/>")
        refused = False
    except UnsupportedMediaType:
        refused = True
    print(photo.width, len(during), round(took, 3), refused)
    """
)


def test_photo_processing_under_gevent_leaves_the_loop_running():
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    width, ticks_during, took, refused = out.stdout.split()
    assert int(width) == 1600
    # Frozen, the loop would not tick at all while the photo is processed (a third of a second or more).
    assert int(ticks_during) >= 3, (ticks_during, took)
    assert refused == "True"
    assert "Traceback" not in out.stderr


STUCK_SCRIPT = textwrap.dedent(
    """
    from gevent import monkey
    monkey.patch_all()
    import threading, time
    import gevent
    from flask import Flask
    from memi import cpu
    from memi.errors import Unavailable

    app = Flask("t")
    app.config.update(CPU_TASK_TIMEOUT=0.5, CPU_THREADS=2)
    release = monkey.get_original("threading", "Event")()  # a real event: the "work" never ends alone

    ticks = []
    def ticker():
        while True:
            ticks.append(time.perf_counter())
            gevent.sleep(0.01)
    gevent.spawn(ticker)

    def stuck():
        with app.app_context():
            cpu.run_cpu_bound(release.wait, 60)

    with app.app_context():
        start = time.perf_counter()
        waiters = [gevent.spawn(stuck) for _ in range(12)]  # more than the threads: some never start
        gevent.joinall(waiters, timeout=20)
        took = time.perf_counter() - start
        answers = sorted(type(w.exception).__name__ for w in waiters if w.ready())
        release.set()
        # Work that finishes still gets its result afterwards.
        value = cpu.run_cpu_bound(sum, [1, 2, 3])
    print(len(answers), ",".join(sorted(set(answers))), round(took, 1), value, len(ticks) > 10)
    """
)


def test_cpu_work_that_never_finishes_is_a_503_not_a_wait_forever():
    """Greenlets waiting for CPU work that does not come back (a stuck or lost task) are woken with
    Unavailable after CPU_TASK_TIMEOUT, queued ones included, and the pool keeps serving."""
    out = subprocess.run(
        [sys.executable, "-c", STUCK_SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    answered, kinds, took, value, loop_ran = out.stdout.split()
    assert answered == "12", out.stdout
    assert kinds == "Unavailable", out.stdout
    assert float(took) < 10, out.stdout
    assert value == "6" and loop_ran == "True", out.stdout
