"""The demo district's emblem, its head's signature and name, for its diplomas and letters:
both pictures drawn here with Pillow, then uploaded as staff would upload them."""

import io
import math

from PIL import Image, ImageDraw
from werkzeug.datastructures import FileStorage

from app.accounts.models import User
from app.certificates import services

HEAD = ("Начальник МКУ «Управление образования Нюрбинского района»", "Т. Н. Егорова")
NAVY, GOLD, BLUE = (31, 56, 100), (201, 162, 39), (24, 48, 150)


def load_documents(owner: User) -> None:
    if services.own_settings(owner) is not None:
        return
    services.save_image(owner, "emblem", _upload(emblem(), "герб.png"))
    services.save_image(owner, "signature", _upload(signature(), "подпись.png"))
    services.save_signatory(owner, HEAD[1], HEAD[0], "chair")


def _upload(data: bytes, name: str) -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name)


def emblem(size: int = 360) -> bytes:
    """A round badge: a gold ring, a navy field, an open book under a star."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((4, 4, size - 4, size - 4), fill=GOLD)
    draw.ellipse((26, 26, size - 26, size - 26), fill=NAVY)
    middle = size / 2
    for side in (-1, 1):  # the two pages of the book
        page = [(middle, 0.62 * size), (middle + side * 0.28 * size, 0.55 * size),
                (middle + side * 0.28 * size, 0.74 * size), (middle, 0.8 * size)]  # fmt: skip
        draw.polygon(page, fill="white")
    draw.line([(middle, 0.62 * size), (middle, 0.8 * size)], fill=NAVY, width=4)
    draw.polygon(_star(middle, 0.36 * size, 0.15 * size), fill=GOLD)
    return _png(image)


def _star(x: float, y: float, radius: float) -> list[tuple[float, float]]:
    points = []
    for index in range(10):
        reach = radius if index % 2 == 0 else radius * 0.42
        angle = math.pi / 2 + index * math.pi / 5
        points.append((x + reach * math.cos(angle), y - reach * math.sin(angle)))
    return points


def signature() -> bytes:
    """A flourish of ink on a transparent background."""
    image = Image.new("RGBA", (420, 160), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    stroke = [(20 + step * 4, 95 - 45 * math.sin(step / 6) * math.exp(-step / 60))
              for step in range(95)]  # fmt: skip
    draw.line(stroke, fill=BLUE, width=6, joint="curve")
    draw.line([(250, 120), (400, 60)], fill=BLUE, width=5)
    return _png(image)


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()
