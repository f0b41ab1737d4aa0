"""The photo pipeline: judge uploaded bytes, refuse what is not a photo, and re-encode what is.

Only the bytes decide (magic numbers, then a real decode), never the file name or the Content-Type.
Bytes and pixels are capped before any pixel data is decoded, EXIF orientation is applied, and the
output is built from pixels alone, so no EXIF, GPS, XMP, ICC profile or trailing payload survives.
"""

import io
import os
import struct
import threading
import warnings
from contextlib import contextmanager
from dataclasses import dataclass

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener

from memi.cpu import Slots, run_limited
from memi.errors import PayloadTooLarge, RateLimited, UnsupportedMediaType
from memi.limits import max_image_bytes, photo_too_large_message
from memi.ratelimit import allow

# HEIC/HEIF (iPhone photos) through libheif. Thumbnails, depth maps and auxiliary images inside the
# container are never needed, so they are not even parsed.
register_heif_opener(thumbnails=False, depth_images=False, aux_images=False)

MAIN_SIZE = 1600
THUMB_SIZE = 400
WEBP_QUALITY = 80
# libwebp's method 3+ costs about twice the time of method 2 for ~5 % smaller files; a 12 MP photo
# has to stay well under half a second on two cores (see bench/image_bench.py).
WEBP_METHOD = 2
CONTENT_TYPE = "image/webp"
EXTENSION = "webp"

# 25 MP bounds the memory of one photo: decoded as RGBA it is 100 MB, and with the copies made on the
# way (colour conversion, resize) about 250 MB at the peak; PHOTO_CONCURRENCY of them at once. Phones
# save 12 to 24 MP by default; their 48 MP and larger modes are opt-in, and a refusal names the cap.
DEFAULT_MAX_PIXELS = 25_000_000
# Pillow's own decompression-bomb check (a warning, made an error below, past this many pixels) stays
# on as a backstop; MAX_IMAGE_PIXELS cannot be set above it.
PILLOW_MAX_PIXELS = Image.MAX_IMAGE_PIXELS
DEFAULT_SLOT_WAIT = 10
BUSY = _l("Many photos are being processed right now; please try again in a moment.")
TOO_MANY_UPLOADS = _l("You have uploaded many photos in a short time; please wait a while.")

# Pillow format names we accept; MPO is what Pillow calls a camera JPEG with extra frames.
_OPEN_FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")
_ACCEPTED = {"JPEG", "MPO", "PNG", "WEBP", "HEIF"}
_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs", b"mif1", b"msf1"}

# Everything Pillow and its plugins raise for bytes they cannot make sense of.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError, RuntimeError, struct.error)

NOT_A_PHOTO = _l("Only photos in JPEG, PNG, WebP or HEIC format can be uploaded.")
DAMAGED = _l("This photo could not be read; the file may be damaged. Please try another one.")

_SRGB = ImageCms.createProfile("sRGB")


@dataclass(frozen=True, slots=True)
class ProcessedImage:
    """A photo re-encoded as WebP: `main` (long side at most 1600 px) and `thumb` (at most 400 px)."""

    main: bytes
    thumb: bytes
    width: int
    height: int
    thumb_width: int
    thumb_height: int
    content_type: str = CONTENT_TYPE


def process_image(data: bytes, *, max_bytes=None, max_pixels=None) -> ProcessedImage:
    """Turn uploaded bytes into a clean WebP photo and thumbnail (off the event loop under gevent).

    The caps default to the app's MAX_IMAGE_BYTES and MAX_IMAGE_PIXELS. At most PHOTO_CONCURRENCY
    photos are processed at once in this process; one that finds no free slot within
    PHOTO_SLOT_WAIT seconds is refused.

    Raises PayloadTooLarge (more than `max_bytes`, or more than `max_pixels` declared in the header,
    checked before decoding), UnsupportedMediaType (not a JPEG/PNG/WebP/HEIC, or damaged) and
    Unavailable (no free slot, or no result in time: 503 with Retry-After).
    """
    max_bytes = max_bytes or max_image_bytes()
    max_pixels = min(max_pixels or _config("MAX_IMAGE_PIXELS", DEFAULT_MAX_PIXELS), PILLOW_MAX_PIXELS)
    if len(data) > max_bytes:  # refused before waiting for a slot
        raise PayloadTooLarge(photo_too_large_message(max_bytes))
    return run_limited(photo_slots(), _process_image, data, max_bytes=max_bytes, max_pixels=max_pixels)


def _config(key, default):
    value = current_app.config.get(key) if has_app_context() else None
    return int(value) if value else default


def photo_slots():
    """This process's photo processing slots (PHOTO_CONCURRENCY, default one per CPU), or None
    outside an app."""
    if not has_app_context():
        return None
    app = current_app._get_current_object()
    slots = app.extensions.get("memi_photo_slots")
    if slots is None:
        slots = Slots(
            app.config.get("PHOTO_CONCURRENCY") or os.cpu_count() or 1,
            app.config.get("PHOTO_SLOT_WAIT", DEFAULT_SLOT_WAIT),
            message=BUSY,
        )
        app.extensions["memi_photo_slots"] = slots
    return slots


def charge_photo_uploads(user, count):
    """Count `count` photos against `user`'s upload rate (PHOTO_UPLOAD_RATE, e.g. "120 per hour").
    Raises RateLimited (429 with Retry-After) once the limit is reached."""
    limit = current_app.config.get("PHOTO_UPLOAD_RATE")
    if not limit:
        return
    for _ in range(count):
        if not allow(limit, "photo-upload", str(user.id)):
            raise RateLimited(TOO_MANY_UPLOADS, fields={"files": [TOO_MANY_UPLOADS]})


def _process_image(data, *, max_bytes, max_pixels):
    if len(data) > max_bytes:
        raise PayloadTooLarge(photo_too_large_message(max_bytes))
    kind = _sniff(data)
    if kind is None:
        raise UnsupportedMediaType(NOT_A_PHOTO)
    if kind == "WEBP":
        # libwebp allocates the whole canvas as soon as the file is opened: check its header first.
        size = _webp_size(data)
        if size is None:
            raise UnsupportedMediaType(DAMAGED)
        _check_pixels(size, max_pixels)

    try:
        return _process(data, max_pixels)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning, MemoryError):
        raise PayloadTooLarge(_too_many_pixels(max_pixels))
    except UnidentifiedImageError:
        raise UnsupportedMediaType(NOT_A_PHOTO)
    except _DECODE_ERRORS:
        raise UnsupportedMediaType(DAMAGED)


def _process(data, max_pixels):
    with _pillow_warnings():
        im = Image.open(io.BytesIO(data), formats=_OPEN_FORMATS)
    with im:
        if im.format not in _ACCEPTED:
            raise UnsupportedMediaType(NOT_A_PHOTO)
        # Only the header has been read so far: refuse a decompression bomb before decoding it.
        _check_pixels(im.size, max_pixels)
        target = _fit(im.size, MAIN_SIZE)
        if im.format in ("JPEG", "MPO"):
            # libjpeg decodes at 1/2, 1/4 or 1/8 scale, still at least `target`: far less work.
            im.draft("RGB", target)
        im.load()
        main = _resizable(im)
        if main.size != target:
            main = main.resize(target, Image.Resampling.LANCZOS)
        main = _to_srgb(main, im.info.get("icc_profile"))
        main.info = dict(im.info)  # exif_transpose reads the orientation (EXIF or XMP) from here
        with _pillow_warnings():
            main = ImageOps.exif_transpose(main)
        main = _from_pixels(main)
    thumb = main
    if max(main.size) > THUMB_SIZE:
        thumb = main.resize(_fit(main.size, THUMB_SIZE), Image.Resampling.LANCZOS)
    return ProcessedImage(
        main=_encode(main),
        thumb=_encode(thumb),
        width=main.width,
        height=main.height,
        thumb_width=thumb.width,
        thumb_height=thumb.height,
    )


try:  # a native lock: under gevent this runs in the thread pool's real threads (memi.cpu)
    from gevent.monkey import get_original

    _warnings_lock = get_original("threading", "Lock")()
except ImportError:
    _warnings_lock = threading.Lock()


@contextmanager
def _pillow_warnings():
    """Around the steps where Pillow warns about odd files (opening: decompression bombs, malformed
    MPO or APNG; reading EXIF: corrupt tags). A bomb warning becomes an error, hence a refusal; the
    rest is noise about user data and is dropped. catch_warnings swaps process-wide state (until
    Python 3.14), so threads take turns here; only header and metadata parsing run inside."""
    with _warnings_lock, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        yield


def _sniff(data):
    """The format the magic bytes claim, or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return "HEIF"
    return None


def _webp_size(data):
    """Canvas size from a WebP header (simple lossy, lossless or extended), without decoding."""
    chunk = data[12:16]
    if chunk == b"VP8 " and len(data) >= 30 and data[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and len(data) >= 25 and data[20] == 0x2F:
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X" and len(data) >= 30:
        return int.from_bytes(data[24:27], "little") + 1, int.from_bytes(data[27:30], "little") + 1
    return None


def _check_pixels(size, max_pixels):
    width, height = size
    if width < 1 or height < 1:
        raise UnsupportedMediaType(DAMAGED)
    if width * height > max_pixels:
        raise PayloadTooLarge(_too_many_pixels(max_pixels))


def _fit(size, limit):
    """`size` scaled down (never up) so that its long side is at most `limit`."""
    width, height = size
    scale = limit / max(width, height)
    if scale >= 1:
        return width, height
    return max(1, round(width * scale)), max(1, round(height * scale))


def _resizable(im):
    """The decoded image in a mode that resizes well: RGBA when it has transparency, else RGB, L or
    CMYK (the last two are turned into RGB after colour management)."""
    if im.mode in ("RGBA", "LA", "PA") or "transparency" in im.info:
        return im.convert("RGBA")
    if im.mode in ("RGB", "L", "CMYK"):
        return im
    if im.mode.startswith("I"):
        # 16-bit greyscale PNG: scale to 8 bits instead of clipping everything above 255 to white.
        return im.convert("I").point(lambda value: value / 256).convert("L")
    return im.convert("RGB")


def _to_srgb(im, icc_profile):
    """RGB (RGBA if some pixel is not opaque) in sRGB. An embedded colour profile is applied, not just
    dropped: wide-gamut phone photos (Display P3) would otherwise look dull."""
    mode = "RGBA" if im.mode == "RGBA" else "RGB"
    if icc_profile:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
            if im.mode == "CMYK" or "sRGB" not in (ImageCms.getProfileDescription(source) or ""):
                im = ImageCms.profileToProfile(im, source, _SRGB, outputMode=mode)
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass  # a broken or mismatched profile: plain conversion below
    if mode == "RGBA":
        low, _high = im.getchannel("A").getextrema()
        if low == 255:
            mode = "RGB"
    return im if im.mode == mode else im.convert(mode)


def _from_pixels(im):
    """A new image holding only the pixels: no info, EXIF, XMP or ICC profile carried over."""
    return Image.frombytes(im.mode, im.size, im.tobytes())


def _encode(im):
    out = io.BytesIO()
    im.save(out, "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD)
    return out.getvalue()


def _too_many_pixels(max_pixels):
    megapixels = format(max_pixels / 1_000_000, "g")
    return _l("This photo is too large; at most %(num)s megapixels are allowed.", num=megapixels)
