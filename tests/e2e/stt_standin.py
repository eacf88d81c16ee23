"""A local OpenAI-compatible speech-to-text server for the tests: ``POST /v1/audio/transcriptions``.

It checks what a real server would need: multipart with a ``file`` that is a WAV (RIFF/WAVE, PCM 16-bit, mono,
16 kHz, at least 0.2 s, at most ``max_seconds``), a ``model`` (the expected one) and ``language`` (zh unless told), the bearer
key when one is set; a request that breaks a rule gets 400 with the reason (and is counted in ``refused``).
It answers ``{"text": ...}`` with ``by_audio[sha256 of the WAV]`` when the test knows the piece, else the next of
``transcripts`` (it cannot understand speech; the test says what was said), after ``delays[sha256]`` seconds when
given (so answers can come back out of order), or 500 when ``fail_next`` is set. ``requests`` keeps each accepted
request's fields and audio length; ``most_at_once`` the most requests it was answering at the same time.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import wave
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class SttRequest:
    model: str
    language: str
    prompt: str
    seconds: float
    sha256: str


@dataclass
class SttStandIn:
    model: str = "whisper-1"
    language: str = "zh"                 # "": the request must carry no language
    api_key: str | None = None
    max_seconds: float = 30.5
    transcripts: list[str] = field(default_factory=list)
    requests: list[SttRequest] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    fail_next: int = 0
    by_audio: dict[str, str] = field(default_factory=dict)
    delays: dict[str, float] = field(default_factory=dict)
    delay: float = 0.05                  # seconds each answer takes unless ``delays`` says otherwise
    most_at_once: int = 0
    _in_flight: int = 0
    base_url: str = ""
    _runner: Any = None

    async def __aenter__(self) -> SttStandIn:
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_post("/v1/audio/transcriptions", self._transcribe)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base_url = f"http://127.0.0.1:{port}/v1"
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._runner.cleanup()

    def _refuse(self, reason: str) -> web.Response:
        self.refused.append(reason)
        return web.json_response({"error": {"message": reason}}, status=400)

    async def _transcribe(self, request: web.Request) -> web.Response:
        if self.api_key and request.headers.get("Authorization") != f"Bearer {self.api_key}":
            return web.json_response({"error": {"message": "bad key"}}, status=401)
        if not request.content_type.startswith("multipart/form-data"):
            return self._refuse(f"content type {request.content_type}")
        fields: dict[str, Any] = {}
        async for part in await request.multipart():
            fields[part.name or ""] = (part.filename, await part.read()) if part.filename else await part.text()  # type: ignore[union-attr]
        if "file" not in fields or not isinstance(fields["file"], tuple):
            return self._refuse("no file")
        if fields.get("model") != self.model:
            return self._refuse(f"model {fields.get('model')!r}")
        if fields.get("language", "") != self.language:
            return self._refuse(f"language {fields.get('language')!r}")
        name, data = fields["file"]
        try:
            with wave.open(io.BytesIO(data)) as w:
                rate, channels, width, frames = w.getframerate(), w.getnchannels(), w.getsampwidth(), w.getnframes()
        except (wave.Error, EOFError) as exc:
            return self._refuse(f"not a WAV: {exc}")
        seconds = frames / rate if rate else 0.0
        if (rate, channels, width) != (16_000, 1, 2) or not name.endswith(".wav"):
            return self._refuse(f"{name}: {rate} Hz, {channels} channel(s), {8 * width}-bit")
        if not 0.2 <= seconds <= self.max_seconds:
            return self._refuse(f"{seconds:.1f} s")
        if self.fail_next:
            self.fail_next -= 1
            return web.json_response({"error": {"message": "overloaded"}}, status=500)
        digest = hashlib.sha256(data).hexdigest()
        self.requests.append(SttRequest(str(fields["model"]), str(fields.get("language", "")), str(fields.get("prompt", "")),
                                        seconds, digest))
        if digest in self.by_audio:
            text = self.by_audio[digest]
        else:
            text = self.transcripts.pop(0) if self.transcripts else ""
        self._in_flight += 1
        self.most_at_once = max(self.most_at_once, self._in_flight)
        try:
            await asyncio.sleep(self.delays.get(digest, self.delay))
        finally:
            self._in_flight -= 1
        return web.json_response({"text": text})
