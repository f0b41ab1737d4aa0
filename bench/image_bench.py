"""Time the photo pipeline on a 12-megapixel JPEG (4000x3000, photo-like content with sensor noise).

Prints one JSON line, e.g. {"image_12mp_ms_median": 310.2, ...}; `make bench` collects it.
"""

import io
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image  # noqa: E402

from memi.uploads.images import process_image  # noqa: E402

WIDTH, HEIGHT = 4000, 3000
RUNS = 5


def noise(size):
    return Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))


def sample_jpeg():
    """Smooth colour areas and edges (noise upscaled) plus per-pixel noise, saved like a phone camera
    would (quality 90): far harder to compress than most real photos, so the figure is conservative."""
    size = (WIDTH, HEIGHT)
    shapes = noise((WIDTH // 40, HEIGHT // 40)).resize(size, Image.Resampling.BICUBIC)
    detail = noise((WIDTH // 4, HEIGHT // 4)).resize(size, Image.Resampling.BILINEAR)
    image = Image.blend(Image.blend(shapes, detail, 0.25), noise(size), 0.15)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def main():
    data = sample_jpeg()
    process_image(data)  # warm up (imports, first allocations)
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        result = process_image(data)
        timings.append((time.perf_counter() - start) * 1000)
    print(
        json.dumps(
            {
                "image_12mp_ms_median": round(statistics.median(timings), 1),
                "image_12mp_ms_runs": [round(t, 1) for t in timings],
                "input_bytes": len(data),
                "main_bytes": len(result.main),
                "thumb_bytes": len(result.thumb),
                "main_size": [result.width, result.height],
            }
        )
    )


if __name__ == "__main__":
    main()
