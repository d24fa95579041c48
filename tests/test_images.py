"""The image pipeline on odd images: EXIF rotation, CMYK, 16-bit, palettes with
transparency, sizes, AVIF, the LQIP placeholder, and files that must be refused untouched."""

from __future__ import annotations

import base64
import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image, features

from vendor_console import images
from vendor_console.images import FORMATS, ImageRejected, process_image


def save(image: Image.Image, path: Path, fmt: str, **options: object) -> Path:
    image.save(path, fmt, **options)
    return path


def opened(out: Path, name: str) -> Image.Image:
    image = Image.open(out / name)
    image.load()
    return image


def test_exif_orientation_is_applied(tmp_path: Path) -> None:
    image = Image.new("RGB", (400, 200), "red")
    image.paste((0, 0, 255), (0, 0, 200, 200))  # left half blue
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to view"
    src = save(image, tmp_path / "side.jpg", "JPEG", exif=exif.tobytes(), quality=95)
    result = process_image(src, tmp_path / "out")
    assert (result.width, result.height) == (200, 400)
    upright = opened(tmp_path / "out", result.renditions[0].files["webp"])
    assert upright.size == (200, 400)
    top = upright.convert("RGB").getpixel((100, 20))
    assert isinstance(top, tuple) and top[2] > 200 and top[0] < 60  # the blue half is on top


def test_cmyk_becomes_rgb(tmp_path: Path) -> None:
    src = save(Image.new("CMYK", (50, 40), (0, 255, 255, 0)), tmp_path / "print.jpg", "JPEG")
    result = process_image(src, tmp_path / "out")
    assert result.source_mode == "CMYK"
    out = opened(tmp_path / "out", result.largest)
    assert out.mode == "RGB"
    red = out.getpixel((25, 20))
    assert isinstance(red, tuple) and red[0] > 200 and red[1] < 60


def test_16_bit_greyscale_is_scaled_to_8_bit(tmp_path: Path) -> None:
    image = Image.new("I;16", (64, 8))
    image.paste(65535, (32, 0, 64, 8))  # right half white, left black
    src = save(image, tmp_path / "scan.png", "PNG")
    result = process_image(src, tmp_path / "out")
    assert result.source_mode.startswith("I;16")
    out = opened(tmp_path / "out", result.largest).convert("L")
    assert out.getpixel((60, 4)) >= 250 and out.getpixel((4, 4)) <= 5  # type: ignore[operator]


def test_palette_with_transparency_keeps_its_alpha(tmp_path: Path) -> None:
    image = Image.new("P", (40, 40), 0)
    image.putpalette([255, 0, 0, 0, 255, 0] + [0] * 762)
    image.paste(1, (20, 0, 40, 40))
    src = save(image, tmp_path / "logo.png", "PNG", transparency=0)
    result = process_image(src, tmp_path / "out")
    out = opened(tmp_path / "out", result.largest)
    assert out.mode == "RGBA"
    assert out.getpixel((5, 5))[3] == 0  # type: ignore[index]
    assert out.getpixel((35, 5))[3] == 255  # type: ignore[index]


def test_sizes_formats_and_placeholder(tmp_path: Path) -> None:
    src = save(Image.new("RGB", (2400, 1200), "green"), tmp_path / "wide.png", "PNG")
    result = process_image(src, tmp_path / "out")
    assert [(r.size, r.width, r.height) for r in result.renditions] == [
        (1600, 1600, 800), (800, 800, 400), (320, 320, 160)]
    if features.check("avif"):
        assert FORMATS == ("webp", "avif")
        assert opened(tmp_path / "out", result.renditions[1].files["avif"]).size == (800, 400)
    for r in result.renditions:
        assert opened(tmp_path / "out", r.files["webp"]).format == "WEBP"
    header, data = result.lqip.split(",", 1)
    assert header == "data:image/webp;base64"
    tiny = Image.open(io.BytesIO(base64.b64decode(data)))
    assert max(tiny.size) <= 16 and len(data) < 400
    derived = result.derived()
    assert derived["sizes"]["320"]["width"] == 320 and derived["lqip"] == result.lqip


def test_small_images_are_never_enlarged(tmp_path: Path) -> None:
    src = save(Image.new("RGB", (100, 50), "white"), tmp_path / "small.png", "PNG")
    result = process_image(src, tmp_path / "out")
    assert {(r.width, r.height) for r in result.renditions} == {(100, 50)}


def _refused(src: Path, out: Path, match: str) -> None:
    with pytest.raises(ImageRejected, match=match):
        process_image(src, out)
    assert not out.exists() or list(out.iterdir()) == []


def test_a_corrupt_file_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    src = tmp_path / "photo.jpg"
    src.write_bytes(b"\x00garbage, not a picture" * 50)
    _refused(src, tmp_path / "out", "not an image")


def test_a_truncated_file_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    noisy = Image.effect_noise((300, 300), 80).convert("RGB")
    whole = save(noisy, tmp_path / "whole.jpg", "JPEG").read_bytes()
    src = tmp_path / "cut.jpg"
    src.write_bytes(whole[: len(whole) // 2])
    _refused(src, tmp_path / "out", "damaged or incomplete")


def _png_header_only(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


def test_an_enormous_image_is_refused_before_it_is_decoded(tmp_path: Path) -> None:
    src = tmp_path / "bomb.png"
    src.write_bytes(_png_header_only(30_000, 30_000))  # 900 megapixels in 100 bytes
    _refused(src, tmp_path / "out", "too many pixels|megapixels")
    src.write_bytes(_png_header_only(9_000, 9_000))  # 81 MP: below Pillow's own limit
    _refused(src, tmp_path / "out", "megapixels")


def test_a_file_too_big_on_disk_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                           ) -> None:
    monkeypatch.setattr(images, "MAX_FILE_BYTES", 1_000)
    src = save(Image.effect_noise((200, 200), 90).convert("RGB"), tmp_path / "big.png", "PNG")
    _refused(src, tmp_path / "out", "MB; at most")
