"""Generated demo photos: a soft gradient and a shaded silhouette per garment shape, stored once and
shared by every demo listing."""

import io

from memi.uploads.storage import get_storage, new_key

PHOTO_SIZE = (800, 1000)
THUMB_SIZE = (320, 400)


# (background top, background bottom, garment) colours: soft backdrops, one strong colour.
PALETTES = [
    ((246, 231, 216), (232, 201, 176), (47, 62, 70)),
    ((227, 242, 253), (187, 222, 251), (192, 57, 43)),
    ((241, 248, 233), (197, 225, 165), (109, 76, 65)),
    ((252, 228, 236), (248, 187, 208), (38, 50, 56)),
    ((237, 231, 246), (209, 196, 233), (245, 245, 240)),
    ((255, 248, 225), (255, 224, 178), (21, 101, 192)),
    ((236, 239, 241), (207, 216, 220), (173, 20, 87)),
    ((224, 247, 250), (178, 235, 242), (46, 125, 50)),
]
PHOTOS_PER_SHAPE = 3


# Outlines of a simple garment or object on the 800x1000 canvas: (kind, points or box).
# fmt: off
OUTLINES = {
    "top": [("polygon", [(250, 250), (330, 215), (470, 215), (550, 250), (650, 360), (585, 420), (540, 380),
                         (540, 780), (260, 780), (260, 380), (215, 420), (150, 360)])],
    "coat": [("polygon", [(240, 230), (340, 195), (460, 195), (560, 230), (620, 330), (660, 760), (590, 770),
                          (560, 420), (560, 820), (240, 820), (240, 420), (210, 770), (140, 760), (180, 330)])],
    "dress": [("polygon", [(330, 200), (470, 200), (500, 300), (470, 420), (600, 820), (200, 820), (330, 420),
                           (300, 300)])],
    "trousers": [("polygon", [(280, 200), (520, 200), (560, 820), (430, 820), (400, 420), (370, 820), (240, 820)])],
    "shoe": [("polygon", [(170, 560), (260, 430), (360, 430), (420, 540), (600, 590), (650, 640), (640, 690),
                          (170, 690)])],
    "bag": [("rounded", (210, 420, 590, 760)), ("arc", (290, 270, 510, 500))],
    "round": [("ellipse", (250, 350, 550, 650)), ("ring", (300, 400, 500, 600))],
    "bottle": [("rounded", (310, 420, 490, 760)), ("box", (360, 330, 440, 420))],
}
# fmt: on


def _render_photo(shape, palette):
    """An 800x1000 WebP with a soft gradient and a shaded silhouette, and its 320x400 thumbnail."""
    from PIL import Image, ImageDraw, ImageFilter, ImageOps

    top, bottom, fill = palette
    gradient = Image.linear_gradient("L").resize(PHOTO_SIZE)
    image = ImageOps.colorize(gradient, top, bottom).convert("RGB")
    shadow = Image.new("L", PHOTO_SIZE, 0)
    mask = Image.new("L", PHOTO_SIZE, 0)
    for target, offset in ((shadow, 18), (mask, 0)):
        draw = ImageDraw.Draw(target)
        for kind, geometry in OUTLINES[shape]:
            if kind == "polygon":
                draw.polygon([(x + offset, y + offset) for x, y in geometry], fill=255)
            else:
                box = tuple(v + offset for v in geometry)
                if kind == "rounded":
                    draw.rounded_rectangle(box, radius=40, fill=255)
                elif kind == "box":
                    draw.rectangle(box, fill=255)
                elif kind == "ellipse":
                    draw.ellipse(box, fill=255)
                elif kind == "ring":
                    draw.ellipse(box, outline=0, width=24)
                elif kind == "arc":
                    draw.arc(box, 180, 360, fill=255, width=26)
    shadow = shadow.filter(ImageFilter.GaussianBlur(16)).point(lambda v: int(v * 0.35))
    image.paste(Image.new("RGB", PHOTO_SIZE, (40, 40, 40)), mask=shadow)
    # A little light from the top left makes the shape read as fabric rather than a flat sticker.
    light = ImageOps.colorize(Image.linear_gradient("L").rotate(45).resize(PHOTO_SIZE), fill, _shade(fill, 0.75))
    image.paste(light, mask=mask)
    main = io.BytesIO()
    image.save(main, "WEBP", quality=80, method=2)
    thumb = io.BytesIO()
    image.resize(THUMB_SIZE, Image.Resampling.LANCZOS).save(thumb, "WEBP", quality=80, method=2)
    return main.getvalue(), thumb.getvalue()


def _shade(colour, factor):
    return tuple(max(0, min(255, int(c * factor))) for c in colour)


def make_photos():
    """Store PHOTOS_PER_SHAPE generated photos per shape; returns {shape: [(key, thumb_key)]}."""
    storage = get_storage()
    photos = {}
    for s, shape in enumerate(OUTLINES):
        for i in range(PHOTOS_PER_SHAPE):
            main, thumb = _render_photo(shape, PALETTES[(s * PHOTOS_PER_SHAPE + i) % len(PALETTES)])
            key, thumb_key = new_key("products"), new_key("products")
            storage.save(key, main, "image/webp")
            storage.save(thumb_key, thumb, "image/webp")
            photos.setdefault(shape, []).append((key, thumb_key))
    return photos
