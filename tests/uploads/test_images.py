"""The photo pipeline: only real photos get through, bombs are refused before decoding, and what comes
out is a clean WebP (oriented, resized, without any metadata)."""

import io
import struct
import warnings
import zlib

import pillow_heif
import pytest
from PIL import ExifTags, Image, ImageCms, ImageFile

from memi.errors import PayloadTooLarge, UnsupportedMediaType
from memi.uploads.images import ProcessedImage, process_image

RED, BLUE = (255, 0, 0), (0, 0, 255)


def encode(image, fmt, **params):
    out = io.BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


def two_halves(size=(600, 400)):
    """Left half red, right half blue: shows which way a photo was turned."""
    image = Image.new("RGB", size, BLUE)
    image.paste(RED, (0, 0, size[0] // 2, size[1]))
    return image


def is_webp(data):
    return data[:4] == b"RIFF" and data[8:12] == b"WEBP"


def opened(data):
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def close_to(pixel, colour, tolerance=40):
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))


def camera_exif(orientation=6):
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "Canon"
    exif[ExifTags.Base.Model] = "EOS 5D"
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.BodySerialNumber] = "SERIAL-0042-SECRET"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (40.0, 24.0, 36.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (49.0, 52.0, 12.0)
    return exif


XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description creator="memi-xmp-marker"/></rdf:RDF></x:xmpmeta>'


def assert_no_metadata(data):
    image = opened(data)
    assert dict(image.getexif()) == {}
    for key in ("exif", "xmp", "icc_profile", "XML:com.adobe.xmp"):
        assert key not in image.info
    for marker in (b"Exif", b"EXIF", b"XMP ", b"ICCP", b"SERIAL-0042", b"memi-xmp-marker", b"Canon"):
        assert marker not in data


# ---- what comes out ------------------------------------------------------------------------------


def test_jpeg_is_turned_upright_and_loses_all_metadata():
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encode(two_halves(), "JPEG", quality=95, exif=camera_exif(6), xmp=XMP, icc_profile=icc)
    # The input really carries what must disappear.
    source = Image.open(io.BytesIO(data))
    assert source.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert b"SERIAL-0042-SECRET" in data and b"memi-xmp-marker" in data and "icc_profile" in source.info

    result = process_image(data)

    assert isinstance(result, ProcessedImage)
    assert (result.width, result.height) == (400, 600)  # orientation 6: turned a quarter clockwise
    main = opened(result.main)
    assert main.size == (400, 600)
    assert close_to(main.getpixel((200, 60)), RED)  # what was on the left is now on top
    assert close_to(main.getpixel((200, 540)), BLUE)
    thumb = opened(result.thumb)
    assert thumb.size == (result.thumb_width, result.thumb_height) == (267, 400)
    assert close_to(thumb.getpixel((130, 30)), RED)
    assert_no_metadata(result.main)
    assert_no_metadata(result.thumb)


def test_output_is_webp_judged_by_its_bytes():
    result = process_image(encode(two_halves(), "PNG"))
    for data in (result.main, result.thumb):
        assert is_webp(data)
        assert opened(data).format == "WEBP"
    assert result.content_type == "image/webp"


@pytest.mark.parametrize(
    ("size", "main", "thumb"),
    [
        ((4000, 3000), (1600, 1200), (400, 300)),
        ((3000, 1000), (1600, 533), (400, 133)),
        ((1000, 3000), (533, 1600), (133, 400)),
        ((1600, 1600), (1600, 1600), (400, 400)),
        ((800, 500), (800, 500), (400, 250)),
        ((300, 200), (300, 200), (300, 200)),  # never enlarged
    ],
)
def test_size_limits(size, main, thumb):
    result = process_image(encode(Image.new("RGB", size, (120, 130, 140)), "JPEG"))
    assert (result.width, result.height) == main
    assert (result.thumb_width, result.thumb_height) == thumb
    assert opened(result.main).size == main
    assert opened(result.thumb).size == thumb


def test_png_transparency_is_kept():
    image = Image.new("RGBA", (500, 300), (0, 0, 0, 0))
    image.paste((10, 200, 10, 255), (100, 100, 400, 200))
    result = process_image(encode(image, "PNG"))
    main = opened(result.main)
    assert main.mode == "RGBA"
    assert main.getpixel((10, 10))[3] == 0
    assert main.getpixel((250, 150))[3] == 255
    assert opened(result.thumb).mode == "RGBA"


def test_opaque_png_with_alpha_channel_becomes_rgb():
    result = process_image(encode(Image.new("RGBA", (200, 100), (1, 2, 3, 255)), "PNG"))
    assert opened(result.main).mode == "RGB"


def test_palette_png_with_transparency():
    image = Image.new("P", (200, 100), 0)
    image.putpalette([255, 255, 255, 200, 0, 0] + [0] * 762)
    image.paste(1, (50, 0, 150, 100))
    result = process_image(encode(image, "PNG", transparency=0))
    main = opened(result.main)
    assert main.mode == "RGBA"
    assert main.getpixel((10, 50))[3] == 0
    assert close_to(main.getpixel((100, 50)), (200, 0, 0))


def test_webp_input():
    data = encode(two_halves((2400, 1200)), "WEBP", quality=90, exif=camera_exif(1).tobytes(), xmp=XMP)
    result = process_image(data)
    assert (result.width, result.height) == (1600, 800)
    main = opened(result.main)
    assert close_to(main.getpixel((100, 400)), RED) and close_to(main.getpixel((1500, 400)), BLUE)
    assert_no_metadata(result.main)


def test_heic_input():
    pillow_heif.register_heif_opener()  # for saving the sample; images.py registers the opener
    data = encode(two_halves((2000, 1000)), "HEIF", quality=90, exif=camera_exif(1).tobytes())
    assert data[4:12] == b"ftypheic"
    result = process_image(data)
    assert (result.width, result.height) == (1600, 800)
    assert (result.thumb_width, result.thumb_height) == (400, 200)
    main = opened(result.main)
    assert close_to(main.getpixel((100, 400)), RED) and close_to(main.getpixel((1500, 400)), BLUE)
    assert_no_metadata(result.main)


def test_heic_orientation_is_applied_once():
    pillow_heif.register_heif_opener()
    data = encode(two_halves(), "HEIF", quality=90, exif=camera_exif(6).tobytes())
    main = opened(process_image(data).main)
    assert main.size == (400, 600)
    assert close_to(main.getpixel((200, 60)), RED) and close_to(main.getpixel((200, 540)), BLUE)


def test_greyscale_cmyk_and_16_bit_inputs_become_rgb():
    samples = [
        encode(Image.new("L", (300, 200), 90), "JPEG"),
        encode(Image.new("CMYK", (300, 200), (0, 255, 255, 0)), "JPEG"),
        encode(
            Image.linear_gradient("L").resize((300, 200)).convert("I").point(lambda v: v * 256).convert("I;16"), "PNG"
        ),
    ]
    for data in samples:
        main = opened(process_image(data).main)
        assert main.mode == "RGB" and main.size == (300, 200)
    gradient = opened(process_image(samples[2]).main).convert("L")
    assert gradient.getextrema()[1] > 200  # 16-bit values scaled, not clipped to white


def test_corrupt_exif_is_ignored_without_warnings():
    # Tags pointing past the end of the data: Pillow itself warns "Corrupt EXIF data".
    exif = b"Exif\x00\x00II*\x00\x08\x00\x00\x00\x05\x00" + b"\x12\x01\x03\x00\xff\xff\xff\x7f" * 5
    data = encode(Image.new("RGB", (300, 200), (9, 9, 9)), "JPEG", exif=exif)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = process_image(data)
    assert caught == []
    assert (result.width, result.height) == (300, 200)
    assert_no_metadata(result.main)


def test_parallel_uploads():
    from concurrent.futures import ThreadPoolExecutor

    photos = [encode(two_halves((900 + 10 * i, 600)), "JPEG") for i in range(8)]
    bomb = png_bomb(10000, 10000)
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda data: process_image(data).width, photos))
        refusals = list(pool.map(lambda _: pytest.raises(PayloadTooLarge, process_image, bomb), range(4)))
    assert results == [900 + 10 * i for i in range(8)]
    assert len(refusals) == 4


def test_payload_after_the_image_is_dropped():
    data = encode(two_halves(), "JPEG") + b"<script>alert(1)</script>" + b"PK\x03\x04 zip payload"
    result = process_image(data)
    assert b"<script>" not in result.main and b"PK\x03\x04" not in result.main


# ---- what is refused -----------------------------------------------------------------------------

SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(SVG, id="svg-named-jpg"),
        pytest.param(b"just some text, not a photo\n" * 10, id="text"),
        pytest.param(b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF", id="pdf"),
        pytest.param(encode(Image.new("RGB", (50, 50)), "GIF"), id="gif"),
        pytest.param(encode(Image.new("RGB", (50, 50)), "BMP"), id="bmp"),
        pytest.param(encode(Image.new("RGB", (50, 50)), "TIFF"), id="tiff"),
        pytest.param(b"", id="empty"),
        pytest.param(b"\xff\xd8\xff", id="jpeg-magic-only"),
        pytest.param(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, id="png-magic-then-junk"),
        pytest.param(b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 40, id="webp-magic-then-junk"),
        pytest.param(b"\x00\x00\x00\x18ftypheic" + b"\x00" * 40, id="heic-magic-then-junk"),
    ],
)
def test_not_a_photo_is_415(data):
    with pytest.raises(UnsupportedMediaType) as info:
        process_image(data)
    assert info.value.status == 415
    assert "JPEG, PNG, WebP or HEIC" in info.value.message or "could not be read" in info.value.message


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_truncated_photo_is_415(fmt):
    data = encode(Image.effect_noise((400, 300), 60).convert("RGB"), fmt)
    with pytest.raises(UnsupportedMediaType, match="could not be read"):
        process_image(data[: len(data) // 2])


def test_too_many_bytes_is_413_before_anything_is_read(monkeypatch):
    monkeypatch.setattr(Image, "open", lambda *a, **k: pytest.fail("opened an oversized upload"))
    with pytest.raises(PayloadTooLarge) as info:
        process_image(b"\xff\xd8\xff" + b"\x00" * (11 * 1024 * 1024))
    assert info.value.status == 413
    with pytest.raises(PayloadTooLarge):
        process_image(b"\x00" * 1001, max_bytes=1000)


def png_bomb(width, height):
    """A real, valid PNG: a 1-bit black image of width x height, a few kilobytes compressed."""

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte + packed bits
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


@pytest.fixture
def no_decoding(monkeypatch):
    """Fail the test if any pixel data gets decoded."""

    def refuse(self, *args, **kwargs):
        pytest.fail("pixel data of a refused image was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)


# 41 MP is over our limit; 100 MP makes Pillow warn and 400 MP makes it raise: all three are a 413.
@pytest.mark.parametrize("size", [(6500, 6500), (10000, 10000), (20000, 20000)])
def test_png_bomb_is_refused_before_decoding(size, no_decoding):
    data = png_bomb(*size)
    assert len(data) < 200_000
    with pytest.raises(PayloadTooLarge, match="megapixels"):
        process_image(data)


def test_pillow_bomb_warning_never_escapes():
    # Outside pytest's "warnings are errors" a production server would only log Pillow's warning;
    # record everything to show that process_image lets none out.
    data = png_bomb(10000, 10000)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(PayloadTooLarge):
            process_image(data)
    assert caught == []


def test_png_bomb_is_a_valid_png():
    # The sample really is what it claims (so the refusal above is about its size, nothing else).
    data = png_bomb(3000, 2000)
    image = Image.open(io.BytesIO(data))
    assert (image.format, image.size) == ("PNG", (3000, 2000))
    result = process_image(data)
    assert (result.width, result.height) == (1600, 1067)


def test_pixel_limit_applies_to_every_format(no_decoding):
    jpeg = encode(Image.new("RGB", (1200, 1000)), "JPEG")
    webp = encode(Image.new("RGB", (1200, 1000)), "WEBP")
    for data in (jpeg, webp):
        with pytest.raises(PayloadTooLarge):
            process_image(data, max_pixels=1_000_000)


def test_webp_canvas_is_checked_before_libwebp_sees_it(monkeypatch):
    from PIL import WebPImagePlugin

    monkeypatch.setattr(WebPImagePlugin._webp, "WebPAnimDecoder", lambda *a: pytest.fail("decoder created"))
    data = encode(Image.new("RGB", (1200, 1000)), "WEBP", lossless=True)
    with pytest.raises(PayloadTooLarge):
        process_image(data, max_pixels=1_000_000)
