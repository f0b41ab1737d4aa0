"""Real image bytes for upload tests, made with Pillow."""

import io

from PIL import Image


def image_bytes(fmt="JPEG", size=(800, 1000), color=(200, 60, 60)):
    buf = io.BytesIO()
    mode = "RGBA" if fmt == "PNG" else "RGB"
    Image.new(mode, size, color).save(buf, fmt)
    return buf.getvalue()


def upload(data, name="photo.jpg"):
    return (io.BytesIO(data), name)
