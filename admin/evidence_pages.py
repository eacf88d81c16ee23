"""A record's evidence in the back office and the admin: thumbnails that open the file full size.

``/backoffice/evidence/{kind}/{ref}`` shows a record's files (``core.services.evidence``: after-sales ticket
and quality report photos, campaign evidence, expense claim receipts, payment receipts, qualification scans)
as thumbnails (the image scaled by the browser; a PDF as its name); ``/backoffice/evidence/{kind}/{ref}/{n}``
is the file itself, inline with its content type (a PDF opens in the browser) and the name staff read
(``AS-20261204-0001-1.jpg``, ``D0001-营业执照-….pdf``). Both read the record through its own read use case as
the logged-in staff member, so whoever may not open the record gets the same 403/404 for its files.
``thumbnails`` is the HTML the SQLAdmin detail pages and back-office lists embed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from core.errors import NotFound
from core.ports import AbstractFileStore, AbstractUnitOfWork
from core.services import evidence
from core.services.evidence import CONTENT_TYPES, EvidenceFile
from core.users import Actor

BASE = "/backoffice/evidence"
THUMB_PX = 96


def file_url(kind: str, ref: str, n: int) -> str:
    return f"{BASE}/{quote(kind)}/{quote(ref, safe='')}/{n}"


def thumbnails(kind: str, ref: str, files: Sequence[EvidenceFile] | Sequence[str | None], label: str = "") -> Markup:
    """Links to each file of a record, an image shown scaled down, a PDF by its name. ``files`` are the record's
    files, or just its file-store keys (blank ones skipped, numbered as ``core.services.evidence`` numbers them)."""
    items: list[tuple[str, str]] = []       # (title, key)
    for f in files:
        if isinstance(f, EvidenceFile):
            items.append((f.name, f.key))
        elif f:
            items.append(("", f))
    out = []
    for n, (title, key) in enumerate(items, 1):
        url = file_url(kind, ref, n)
        title = title or (f"{label} {n}" if label and len(items) > 1 else label) or f"{ref} #{n}"
        if not key.lower().endswith(tuple(f".{ext}" for ext, t in CONTENT_TYPES.items() if t.startswith("image/"))) \
                and "." in key:
            out.append(Markup("<a href='{}' target='_blank'>📄 {}</a>").format(url, title))
        else:
            out.append(Markup("<a href='{0}' target='_blank' title='{1}'><img src='{0}' alt='{1}' loading='lazy' "
                              "style='max-width:{2}px;max-height:{2}px;margin:2px;border:1px solid #ccc'></a>")
                       .format(url, title, THUMB_PX))
    return Markup(" ").join(out)


def content_disposition(name: str, inline: bool) -> str:
    """``inline`` / ``attachment`` with an ASCII fallback and the UTF-8 name (RFC 6266)."""
    ascii_name = "".join(c if c.isascii() and c not in '"\\' and c.isprintable() else "_" for c in name)
    return f"{'inline' if inline else 'attachment'}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


async def file_response(files: AbstractFileStore | None, found: EvidenceFile) -> Response:
    """The file with its content type; images and PDFs inline, anything else a download, never sniffed."""
    if files is None:
        raise NotFound(zh="文件存储未配置", en="No file store is configured")
    try:
        data = await files.get(found.key)
    except KeyError:
        raise NotFound(zh=f"文件 {found.name} 已不在存储中", en=f"The file {found.name} is no longer stored") from None
    inline = found.content_type != "application/octet-stream"
    headers = {"Content-Disposition": content_disposition(found.name, inline),
               "X-Content-Type-Options": "nosniff", "Cache-Control": "private, max-age=300"}
    if found.content_type != "application/pdf":     # browsers will not show a sandboxed PDF
        headers["Content-Security-Policy"] = "sandbox"
    return Response(data, media_type=found.content_type, headers=headers)


class EvidencePages:
    def __init__(self, uow_factory: Callable[[], AbstractUnitOfWork], files: AbstractFileStore | None,
                 page: Callable[..., Response], e: Callable[[object], str]) -> None:
        self.uow_factory = uow_factory
        self.files = files
        self.page = page
        self.e = e

    def routes(self, r: Callable[[Any], Any]) -> list[Route]:
        return [Route("/evidence/{kind:str}/{ref:str}", r(self.record)),
                Route("/evidence/{kind:str}/{ref:str}/{n:int}", r(self.file))]

    async def record(self, request: Request, actor: Actor) -> Response:
        kind, ref = request.path_params["kind"], request.path_params["ref"]
        found = await evidence.record_evidence(self.uow_factory(), actor, kind, ref)
        zh, en = evidence.KINDS[kind]
        body = (f"<p>{thumbnails(kind, found.ref, found.files)}</p>" if found.files
                else "<p>没有文件 No files</p>")
        names = "".join(f"<li><a href='{escape(file_url(kind, found.ref, f.n))}' target='_blank'>{self.e(f.name)}</a>"
                        f"</li>" for f in found.files)
        return self.page(f"{zh} {en} {found.ref}", body + f"<ul>{names}</ul>")

    async def file(self, request: Request, actor: Actor) -> Response:
        found = await evidence.evidence_file(self.uow_factory(), actor, request.path_params["kind"],
                                             request.path_params["ref"], request.path_params["n"])
        return await file_response(self.files, found)
