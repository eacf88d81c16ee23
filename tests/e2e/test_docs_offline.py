"""Every page works with no internet: /docs and /redoc load Swagger UI / ReDoc from the app itself, and no page
template or page built in code loads a script, style, image or frame from another host."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.e2e.conftest import Web

ROOT = Path(__file__).resolve().parents[2]
PAGE_SOURCES = ("admin", "bot", "analytics", "documents", "handlers", "notifications")
# a tag that makes the browser fetch something, pointing at another host (http://, https://, //host)
EXTERNAL_ASSET = re.compile(
    r"<(?:script|link|img|iframe|source|video|audio)\b[^>]*?\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//", re.I)
CSS_IMPORT = re.compile(r"@import\s+(?:url\()?[\"']?(?:https?:)?//|url\([\"']?(?:https?:)?//", re.I)


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = {"script": "src", "link": "href", "img": "src"}.get(tag)
        self.urls += [value for name, value in attrs if name == wanted and value]


def _assets(html: str) -> list[str]:
    parser = _Assets()
    parser.feed(html)
    return parser.urls


@pytest.mark.parametrize(("page", "expected"), [
    ("/docs", {"swagger-ui-bundle.js", "swagger-ui.css", "favicon.png"}),
    ("/redoc", {"redoc.standalone.js", "favicon.png"}),
])
async def test_api_docs_load_only_assets_the_app_serves(web: Web, page: str, expected: set[str]) -> None:
    response = await web.client.get(page)
    assert response.status_code == 200
    html = response.text
    assets = _assets(html)
    assert {url.rsplit("/", 1)[-1] for url in assets} == expected, assets
    for url in assets:
        assert url.startswith("/") and not url.startswith("//"), f"{page} loads {url} from elsewhere"
        asset = await web.client.get(url)
        assert asset.status_code == 200, url
        assert len(asset.content) > 1000, url
    # nothing else in the page reaches out either: fonts, the validator badge
    assert "fonts.googleapis" not in html and "cdn." not in html
    if page == "/docs":
        assert '"validatorUrl": null' in html
        assert "/openapi.json" in html
    script = next(url for url in assets if url.endswith(".js"))
    body = (await web.client.get(script)).text
    assert ("SwaggerUIBundle" if page == "/docs" else "Redoc") in body


def test_no_page_loads_a_script_style_or_image_from_another_host() -> None:
    found: list[str] = []
    for folder in PAGE_SOURCES:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix not in (".py", ".html", ".css", ".js") or "__pycache__" in path.parts:
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            for pattern in (EXTERNAL_ASSET, CSS_IMPORT):
                found += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in pattern.finditer(text)]
    assert found == []


def test_the_check_finds_an_external_asset() -> None:
    assert EXTERNAL_ASSET.search('<script src="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/x.js">')
    assert EXTERNAL_ASSET.search("<link rel=stylesheet href=//fonts.googleapis.com/css>")
    assert CSS_IMPORT.search("@import url('https://fonts.googleapis.com/css2?family=Noto')")
    assert not EXTERNAL_ASSET.search('<script src="/static/docs/swagger-ui-bundle.js">')
    assert not EXTERNAL_ASSET.search('<a href="https://core.telegram.org/bots">')
