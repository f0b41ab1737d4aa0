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
