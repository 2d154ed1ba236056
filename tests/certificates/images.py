"""Small PNGs drawn for the tests: an emblem (a filled circle) and a signature (a stroke)."""

import io

from PIL import Image, ImageDraw


def emblem_png(size: int = 240) -> bytes:
    image = Image.new("RGB", (size, size), "white")
    ImageDraw.Draw(image).ellipse((8, 8, size - 8, size - 8), fill=(31, 56, 100))
    return _png(image)


def signature_png() -> bytes:
    image = Image.new("RGBA", (360, 140), (0, 0, 0, 0))
    ImageDraw.Draw(image).line([(10, 110), (90, 20), (150, 100), (230, 30), (350, 90)],
                               fill=(20, 40, 160), width=7)  # fmt: skip
    return _png(image)


def _png(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()
