"""Reading the text on a photo, offline: RapidOCR (PaddleOCR's models in ONNX, shipped inside the
``rapidocr-onnxruntime`` wheel, so nothing is downloaded at run time). Loaded on the first photo, run in a worker
thread so the event loop keeps serving other chats; a few seconds per photo on two cores.

Handed to the conversations as ``Deps.read_image_text`` (``handlers.flows.order_file`` reads order lists)."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from nlu.ocr_rows import OcrBox


class ImageUnreadable(Exception):
    """The bytes are not an image the engine can read."""


class RapidOcrReader:
    def __init__(self) -> None:
        self._engine: Any = None
        self._lock = threading.Lock()

    @staticmethod
    def available() -> bool:
        try:
            import rapidocr_onnxruntime  # noqa: F401
        except ImportError:
            return False
        return True

    async def __call__(self, image: bytes) -> list[OcrBox]:
        return await asyncio.to_thread(self._read, image)

    def _read(self, image: bytes) -> list[OcrBox]:
        with self._lock:
            if self._engine is None:
                from rapidocr_onnxruntime import RapidOCR

                self._engine = RapidOCR()
        try:
            result, _ = self._engine(image)
        except Exception as exc:  # a broken upload fails inside OpenCV or the engine in many ways
            raise ImageUnreadable(str(exc)) from exc
        boxes = []
        for corners, text, score in result or []:
            points = tuple((float(x), float(y)) for x, y in corners)
            if len(points) == 4:
                boxes.append(OcrBox(str(text), float(score), points))  # type: ignore[arg-type]
        return boxes
