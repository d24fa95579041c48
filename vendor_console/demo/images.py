"""Simple, pleasant product pictures for the demo: a soft background, a shape and initials."""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

SIZE = 320
_SHAPES = ("circle", "rounded", "diamond", "arch")


@dataclass(frozen=True, slots=True)
class ImageFile:
    file_name: str  # relative to the images folder
    sha256: str
    width: int
    height: int


def _rgb(color: str) -> tuple[int, int, int]:
    value = color.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    return (int(a[0] + (b[0] - a[0]) * t), int(a[1] + (b[1] - a[1]) * t),
            int(a[2] + (b[2] - a[2]) * t))


def initials(name: str) -> str:
    words = [w for w in name.replace("&", " ").replace("-", " ").split() if w[:1].isalpha()]
    return "".join(w[0].upper() for w in words[:2]) or "?"


_font_cache: dict[int, ImageFont.FreeTypeFont | ImageFont.ImageFont] = {}


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    if size not in _font_cache:
        _font_cache[size] = ImageFont.load_default(size=size)
    return _font_cache[size]


def render(name: str, color: str, variant: int, rng: random.Random) -> Image.Image:
    """A 320 px square picture for ``name`` in the category's ``color``."""
    base = _rgb(color)
    white = (255, 255, 255)
    background = _mix(base, white, 0.78 if variant == 0 else 0.6)
    image = Image.new("RGB", (SIZE, SIZE), background)
    draw = ImageDraw.Draw(image)
    shape = _SHAPES[(rng.randrange(len(_SHAPES)) + variant) % len(_SHAPES)]
    fill = _mix(base, white, 0.15 * variant)
    margin = 56 + rng.randrange(12)
    box = (margin, margin, SIZE - margin, SIZE - margin)
    if shape == "circle":
        draw.ellipse(box, fill=fill)
    elif shape == "rounded":
        draw.rounded_rectangle(box, radius=36, fill=fill)
    elif shape == "diamond":
        c = SIZE // 2
        r = c - margin + 18
        draw.polygon([(c, c - r), (c + r, c), (c, c + r), (c - r, c)], fill=fill)
    else:
        draw.rounded_rectangle((margin, SIZE // 2, SIZE - margin, SIZE - margin), radius=8,
                               fill=fill)
        draw.pieslice((margin, margin, SIZE - margin, SIZE - margin + 40), 180, 360, fill=fill)
    for _ in range(5):  # a few crumbs of texture
        x, y, r = rng.randrange(SIZE), rng.randrange(SIZE), rng.randrange(4, 10)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=_mix(background, base, 0.35))
    draw.text((SIZE / 2, SIZE / 2), initials(name), fill=white, anchor="mm", font=_font(88))
    return image


def write_image(
    folder: Path, file_name: str, name: str, *, color: str, variant: int, rng: random.Random
) -> ImageFile:
    """Render and save as WebP; returns its name, SHA-256 and size."""
    image = render(name, color, variant, rng)
    path = folder / file_name
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, format="WEBP", quality=82, method=4)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return ImageFile(file_name, digest, image.width, image.height)
