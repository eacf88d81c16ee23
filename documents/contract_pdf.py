"""Contract text -> PDF with correct Chinese (reportlab).

The font is embedded (subset) when a TrueType CJK font is at hand: SimHei from the ``mplfonts`` wheel
(already a dependency for the charts), so every viewer shows the same glyphs, phones included. Without
it we fall back to reportlab's CID font STSong-Light, which needs no file but relies on the viewer having
the Adobe-GB1 fonts (poppler without poppler-data shows blanks). Either way the text extracts back as
Unicode. Output is deterministic (``invariant``): the same text gives the same bytes, so a re-render
can be compared with a frozen copy.
"""

from __future__ import annotations

import io
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from core.ports import AbstractDocumentRenderer

CID_FONT = "STSong-Light"
TTF_FONT = "DmsSimHei"


def _ttf_path() -> Path | None:
    try:
        import mplfonts
    except ImportError:
        return None
    path = Path(mplfonts.__file__).parent / "fonts" / "SimHei.ttf"
    return path if path.is_file() else None


def _register_font() -> str:
    """The registered font name to use (embedded TrueType when possible)."""
    names = pdfmetrics.getRegisteredFontNames()
    if TTF_FONT in names:
        return TTF_FONT
    path = _ttf_path()
    if path is not None:
        pdfmetrics.registerFont(TTFont(TTF_FONT, str(path)))
        return TTF_FONT
    if CID_FONT not in names:
        pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    return CID_FONT


class ReportlabContractRenderer(AbstractDocumentRenderer):
    def contract_pdf(self, text: str, *, title: str, footer: str = "") -> bytes:
        font = _register_font()
        body = ParagraphStyle("body", fontName=font, fontSize=11, leading=17, wordWrap="CJK")
        heading = ParagraphStyle("heading", parent=body, fontSize=18, leading=26, alignment=TA_CENTER,
                                 spaceAfter=8)
        if font == TTF_FONT:        # SimHei has the full-width yen sign only
            text = text.replace("¥", "￥")
        lines = text.splitlines()
        story = []
        for i, line in enumerate(lines):
            if i == 0 and line.strip():
                story.append(Paragraph(escape(line), heading))
                continue
            if not line.strip():
                story.append(Spacer(1, 4 * mm))
                continue
            indent = len(line) - len(line.lstrip(" "))
            style = ParagraphStyle(f"p{indent}", parent=body, leftIndent=indent * 3 * mm) if indent else body
            story.append(Paragraph(escape(line.strip()), style))

        def page_footer(canvas: object, doc: object) -> None:
            c = canvas
            c.saveState()  # type: ignore[attr-defined]
            c.setFont(font, 7)  # type: ignore[attr-defined]
            page = c.getPageNumber()  # type: ignore[attr-defined]
            c.drawString(20 * mm, 10 * mm, f"{title}  第 {page} 页")  # type: ignore[attr-defined]
            if footer:
                c.drawRightString(A4[0] - 20 * mm, 10 * mm, footer[:120])  # type: ignore[attr-defined]
            c.restoreState()  # type: ignore[attr-defined]

        buffer = io.BytesIO()
        doc = SimpleDocTemplate(buffer, pagesize=A4, title=title, author="DMS", leftMargin=20 * mm,
                                rightMargin=20 * mm, topMargin=20 * mm, bottomMargin=18 * mm, invariant=1)
        doc.build(story, onFirstPage=page_footer, onLaterPages=page_footer)
        return buffer.getvalue()
