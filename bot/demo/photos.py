"""The demo data's stand-in photos (a small coloured JPEG a kind), so that records' photos open in the back office."""

from __future__ import annotations

from typing import Protocol


class FilePut(Protocol):
    async def put(self, data: bytes, name: str = "") -> str: ...


PHOTO_COLOURS = {"ticket": (176, 196, 222), "campaign": (238, 214, 175), "licence": (205, 230, 205),
                 "permit": (230, 205, 230)}
_photos: dict[str, tuple[str, bytes]] = {}


def demo_photo(kind: str) -> tuple[str, bytes]:
    """(file key, JPEG bytes) of the demo data's stand-in photo of ``kind`` (ticket, campaign, licence, permit):
    a small coloured picture, so that the records' photos open in the back office instead of being dead links."""
    if kind not in _photos:
        import io

        from PIL import Image, ImageDraw

        from bot.files import file_key

        picture = Image.new("RGB", (320, 240), PHOTO_COLOURS[kind])
        draw = ImageDraw.Draw(picture)
        draw.rectangle((40, 40, 280, 200), outline=(60, 60, 60), width=4)
        draw.text((60, 110), f"DMS demo {kind}", fill=(30, 30, 30))
        out = io.BytesIO()
        picture.save(out, format="JPEG", quality=80)
        data = out.getvalue()
        _photos[kind] = (file_key(data, f"{kind}.jpg"), data)
    return _photos[kind]
