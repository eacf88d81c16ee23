"""The text boxes an OCR engine finds on a photographed order list, grouped into the list's rows.

A box is its text, the engine's score (0-1) and its four corners (clockwise from top left, pixels). A photo is
rarely straight: the skew is read from the boxes' own top edges (the median angle) and the centres turned back
by it, so a row tilted a few degrees stays one row. Boxes whose (straightened) centres lie within half a line
height of a row's are that row, left to right. A row's score is its weakest box's.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

Point = tuple[float, float]


@dataclass(frozen=True)
class OcrBox:
    text: str
    score: float
    corners: tuple[Point, Point, Point, Point]

    @property
    def centre(self) -> Point:
        return (sum(p[0] for p in self.corners) / 4, sum(p[1] for p in self.corners) / 4)

    @property
    def height(self) -> float:
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = self.corners
        return max((math.dist((x0, y0), (x3, y3)) + math.dist((x1, y1), (x2, y2))) / 2, 1.0)

    @property
    def angle(self) -> float:
        """The top edge's slope (radians); 0 for a box less than two heights wide (too short to tell)."""
        (x0, y0), (x1, y1) = self.corners[0], self.corners[1]
        if abs(x1 - x0) < 2 * self.height:
            return 0.0
        return math.atan2(y1 - y0, x1 - x0)


@dataclass(frozen=True)
class OcrRow:
    text: str
    score: float


def skew(boxes: Sequence[OcrBox]) -> float:
    angles = [b.angle for b in boxes if b.angle]
    return statistics.median(angles) if angles else 0.0


def group_rows(boxes: Sequence[OcrBox]) -> list[OcrRow]:
    """``boxes`` as rows, top to bottom, each row's texts left to right joined by a space."""
    kept = [b for b in boxes if b.text.strip()]
    if not kept:
        return []
    turn = skew(kept)
    cos, sin = math.cos(-turn), math.sin(-turn)

    def straight(b: OcrBox) -> Point:
        x, y = b.centre
        return (x * cos - y * sin, x * sin + y * cos)

    placed = sorted(((straight(b), b) for b in kept), key=lambda pb: pb[0][1])
    line_height = statistics.median(b.height for b in kept)
    rows: list[list[tuple[Point, OcrBox]]] = []
    for point, box in placed:
        if rows:
            ys = [p[1] for p, _ in rows[-1]]
            if abs(point[1] - sum(ys) / len(ys)) <= line_height / 2:
                rows[-1].append((point, box))
                continue
        rows.append([(point, box)])
    out = []
    for row in rows:
        row.sort(key=lambda pb: pb[0][0])
        out.append(OcrRow(" ".join(b.text.strip() for _, b in row), min(b.score for _, b in row)))
    return out
