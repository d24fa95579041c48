"""Product images with Pillow: checked, upright, converted, resized to the marketplace's sizes.

:func:`process_image` reads one file and writes, into ``out_dir``, a WebP (and an AVIF where
this Pillow can write AVIF) at each of :data:`SIZES` (longest side in px, never enlarged),
plus a tiny WebP placeholder (LQIP) returned inline as a data URI. It honours the EXIF
orientation, and converts CMYK, 16-bit, palette and other modes to 8-bit RGB(A).

A file that is not an image, corrupt, truncated, too big on disk or too many pixels raises
:class:`ImageRejected` with a message for the user, and leaves ``out_dir`` as it was.
No Qt here.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import os
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps, UnidentifiedImageError, features

from vendor_console.errors import ValidationError

SIZES = (1600, 800, 320)
LQIP_SIZE = 16
MAX_FILE_BYTES = 40 * 1024 * 1024
MAX_PIXELS = 60_000_000  # a 60-megapixel photo; anything larger is refused before decoding
WEBP_QUALITY = 82
AVIF_QUALITY = 60
FORMATS = ("webp", "avif") if features.check("avif") else ("webp",)


class ImageRejected(ValidationError):
    """The file cannot become a product image; nothing was written."""


@dataclass(frozen=True, slots=True)
class Rendition:
    size: int  # the requested longest side
    width: int
    height: int
    files: dict[str, str]  # format -> file name in out_dir


@dataclass(frozen=True, slots=True)
class ProcessedImage:
    sha256: str  # of the source file
    width: int  # upright, before resizing
    height: int
    renditions: tuple[Rendition, ...]
    lqip: str  # data:image/webp;base64,…
    source_mode: str  # e.g. "CMYK", "I;16", "P" (what was converted)
    files: list[str] = field(default_factory=list)  # every file written, for clean-up

    def derived(self) -> dict[str, Any]:
        """What ``product_images.derived`` stores."""
        return {
            "sizes": {str(r.size): {"width": r.width, "height": r.height, **r.files}
                      for r in self.renditions},
            "lqip": self.lqip,
            "source_mode": self.source_mode,
        }

    @property
    def largest(self) -> str:
        return self.renditions[0].files["webp"]


def _open(data: bytes, name: str) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > MAX_PIXELS:
                raise ImageRejected(
                    f"{name} is {image.width} × {image.height} pixels; at most "
                    f"{MAX_PIXELS // 1_000_000} megapixels are accepted. Resize it first.",
                    field="image")
            image.load()
    except ImageRejected:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise ImageRejected(f"{name} has too many pixels to be a product photo.",
                            field="image") from None
    except UnidentifiedImageError:
        raise ImageRejected(f"{name} is not an image Vendor Console can read (use JPEG, "
                            "PNG, WebP, GIF or TIFF).", field="image") from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageRejected(f"{name} is damaged or incomplete ({exc}); nothing was added.",
                            field="image") from None
    return image


def _to_8bit(image: Image.Image) -> Image.Image:
    """RGB or RGBA, 8 bits per channel, whatever came in."""
    mode = image.mode
    if mode in ("RGB", "RGBA"):
        return image
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        high = 65535 if mode.startswith("I;16") else max(1, image.getextrema()[1])
        return image.point(lambda v: v * 255 / high).convert("L").convert("RGB")
    if mode == "F":
        return image.convert("L").convert("RGB")
    if mode == "P":
        return image.convert("RGBA" if "transparency" in image.info else "RGB")
    alpha = mode in ("LA", "PA", "La", "RGBa")
    return image.convert("RGBA" if alpha else "RGB")  # CMYK, YCbCr, LAB, HSV, L, 1


def _save(image: Image.Image, path: Path, fmt: str) -> None:
    """Write atomically: a temporary file in the same folder, then a rename."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            if fmt == "webp":
                image.save(out, "WEBP", quality=WEBP_QUALITY, method=4)
            else:
                image.save(out, "AVIF", quality=AVIF_QUALITY, speed=8)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _lqip(image: Image.Image) -> str:
    small = image.copy()
    small.thumbnail((LQIP_SIZE, LQIP_SIZE), Image.Resampling.BILINEAR)
    buffer = io.BytesIO()
    small.save(buffer, "WEBP", quality=40)
    return "data:image/webp;base64," + base64.b64encode(buffer.getvalue()).decode()


def process_image(source: Path, out_dir: Path) -> ProcessedImage:
    """Check ``source`` and write its renditions into ``out_dir`` (see the module doc)."""
    name = source.name
    try:
        size = source.stat().st_size
    except OSError as exc:
        raise ImageRejected(f"{name} cannot be read ({exc.strerror}).", field="image") from None
    if size > MAX_FILE_BYTES:
        raise ImageRejected(f"{name} is {size / 1_048_576:.0f} MB; at most "
                            f"{MAX_FILE_BYTES // 1_048_576} MB are accepted.", field="image")
    if size == 0:
        raise ImageRejected(f"{name} is empty.", field="image")
    data = source.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    image = _open(data, name)
    source_mode = image.mode
    with contextlib.suppress(OSError, ValueError, SyntaxError, KeyError, TypeError):
        image = ImageOps.exif_transpose(image) or image  # a broken EXIF block is ignored
    image = _to_8bit(image)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[str] = []
    renditions = []
    try:
        for target in SIZES:
            copy = image.copy()
            if max(copy.size) > target:
                copy.thumbnail((target, target), Image.Resampling.LANCZOS)
            files = {}
            for fmt in FORMATS:
                file_name = f"{digest[:20]}-{target}.{fmt}"
                _save(copy, out_dir / file_name, fmt)
                written.append(file_name)
                files[fmt] = file_name
            renditions.append(Rendition(target, copy.width, copy.height, files))
        lqip = _lqip(image)
    except BaseException:
        for file_name in written:
            (out_dir / file_name).unlink(missing_ok=True)
        raise
    return ProcessedImage(digest, image.width, image.height, tuple(renditions), lqip,
                          source_mode, written)
