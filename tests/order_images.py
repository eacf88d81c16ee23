"""Photographed order lists made in the test: printed with a CJK font (Noto Sans CJK SC from the mplfonts wheel,
a dependency), a few lines of products and quantities written the ways dealers write them, then turned a few
degrees, blurred and speckled like a phone photo of a sheet on a desk. ``truth`` is what each picture orders.

Used by tests/unit/test_ocr_orders.py (a few pictures) and bench/ocr_orders.py (the line accuracy over many).
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

CN = "零一二三四五六七八九"


def font_path() -> Path:
    import mplfonts

    return Path(mplfonts.__file__).parent / "fonts" / "NotoSansCJKsc-Regular.otf"


def chinese_number(n: int) -> str:
    if n < 10:
        return CN[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN[tens]) + "十" + (CN[ones] if ones else "")


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    unit: str


@dataclass
class OrderPicture:
    png: bytes
    truth: list[tuple[str, int]]       # (sku, qty) per line, in order
    lines: list[str]                   # the lines as printed


def _line(rng: random.Random, n: int, p: Product, qty: int) -> str:
    shape = rng.randrange(5)
    if shape == 0:
        return f"{n}. {p.sku}  {p.name}  {qty}{p.unit}"
    if shape == 1:
        return f"{p.sku} {qty}{p.unit}"
    if shape == 2:
        return f"{n}、{p.name} {chinese_number(qty) if qty <= 99 else qty}{p.unit}"
    if shape == 3:
        return f"{p.sku}    x {qty}"
    return f"{p.name}（{p.sku}） {qty} {p.unit}"


def order_picture(rng: random.Random, products: list[Product], *, lines: int | None = None,
                  rotate: float | None = None, blur: float | None = None, noise: float = 0.04) -> OrderPicture:
    count = lines or rng.randint(3, 12)
    chosen = rng.sample(products, min(count, len(products)))
    truth = [(p.sku, rng.choice([1, 2, 3, 5, 6, 8, 10, 12, 15, 20, 24, 30, 50, 100])) for p in chosen]
    text = [_line(rng, n, p, qty) for n, (p, (_, qty)) in enumerate(zip(chosen, truth, strict=True), start=1)]
    size = 30
    font = ImageFont.truetype(str(font_path()), size)
    title_font = ImageFont.truetype(str(font_path()), size + 8)
    width, height = 1100, 170 + len(text) * int(size * 1.9)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    draw.text((60, 40), rng.choice(["订货单", "进货清单", "要货明细", "订单"]) + "  2026-12-05", font=title_font, fill=20)
    for i, line in enumerate(text):
        draw.text((70, 130 + i * int(size * 1.9)), line, font=font, fill=rng.randint(0, 50))
    angle = rotate if rotate is not None else rng.uniform(-4, 4)
    photo = page.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=235)
    photo = photo.filter(ImageFilter.GaussianBlur(blur if blur is not None else rng.uniform(0.4, 1.2)))
    pixels = photo.load()
    assert pixels is not None
    w, h = photo.size
    for _ in range(int(w * h * noise)):
        x, y = rng.randrange(w), rng.randrange(h)
        pixels[x, y] = rng.randint(0, 255)         # type: ignore[index]
    out = io.BytesIO()
    photo.convert("RGB").save(out, format="JPEG", quality=rng.randint(70, 90))
    return OrderPicture(out.getvalue(), truth, text)
