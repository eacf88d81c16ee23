"""Voice notes -> text: decode (PyAV: FFmpeg's decoders in a wheel, so OGG/Opus from Telegram and AMR from WeCom
need no system ffmpeg), cut into pieces of at most ``PIECE_SECONDS`` at the quietest moment near each cut, and
transcribe each piece by

- an OpenAI-compatible ``POST {STT_BASE_URL}/audio/transcriptions`` (multipart: ``file`` = 16 kHz mono WAV,
  ``model``, ``language``, ``prompt`` = the catalogue's product words as hints): a cloud, or self-hosted FunASR,
  faster-whisper-server, vLLM; or
- a local sherpa-onnx model when ``STT_MODEL_DIR`` holds one (a Paraformer: ``model.int8.onnx`` or ``model.onnx``
  and ``tokens.txt``; ``pip install sherpa-onnx``); offline Paraformer takes no hot words.

``Listener`` is handed to the conversations as ``Deps.hear``; it never raises: a ``Heard`` says what went wrong.
"""

from __future__ import annotations

import asyncio
import io
import logging
import wave
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from handlers.context import Heard

log = logging.getLogger(__name__)

RATE = 16_000
PIECE_SECONDS = 30.0         # what one transcription request carries at most
MAX_SECONDS = 300.0          # a longer note is refused (WeCom caps voice at 60 s; Telegram does not)


class AudioUnreadable(Exception):
    pass


def decode_pcm(data: bytes, *, max_seconds: float = MAX_SECONDS) -> np.ndarray:
    """The audio in ``data`` as 16 kHz mono float32 in [-1, 1]; stops reading past ``max_seconds`` + 1."""
    import av

    pieces: list[np.ndarray] = []
    total = 0
    try:
        with av.open(io.BytesIO(data)) as container:
            if not container.streams.audio:
                raise AudioUnreadable("no audio stream")
            resampler = av.AudioResampler(format="flt", layout="mono", rate=RATE)
            for frame in container.decode(container.streams.audio[0]):
                for out in resampler.resample(frame):
                    samples = out.to_ndarray().reshape(-1)
                    pieces.append(samples)
                    total += samples.size
                if total > (max_seconds + 1) * RATE:
                    break
            for out in resampler.resample(None):
                pieces.append(out.to_ndarray().reshape(-1))
    except AudioUnreadable:
        raise
    except Exception as exc:  # a broken upload fails inside FFmpeg in many ways
        raise AudioUnreadable(str(exc)) from exc
    if not pieces:
        raise AudioUnreadable("no audio frames")
    return np.clip(np.concatenate(pieces).astype(np.float32), -1.0, 1.0)


def split_pieces(pcm: np.ndarray, piece_seconds: float = PIECE_SECONDS) -> list[np.ndarray]:
    """Pieces of at most ``piece_seconds``, each cut at the quietest 100 ms of its last 5 seconds."""
    longest = int(piece_seconds * RATE)
    window = RATE // 10
    out, start = [], 0
    while pcm.size - start > longest:
        search_from = start + longest - 5 * RATE
        tail = pcm[search_from:start + longest]
        frames = tail[: tail.size // window * window].reshape(-1, window)
        quiet = int(np.argmin((frames ** 2).mean(axis=1))) if frames.size else frames.shape[0]
        cut = search_from + quiet * window + window // 2
        out.append(pcm[start:cut])
        start = cut
    out.append(pcm[start:])
    return [p for p in out if p.size]


def wav_bytes(pcm: np.ndarray) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes((pcm * 32767).astype("<i2").tobytes())
    return out.getvalue()


class Transcriber(Protocol):
    async def transcribe(self, pcm: np.ndarray, hints: Sequence[str]) -> str: ...


class HttpTranscriber:
    """An OpenAI-compatible ``/audio/transcriptions`` endpoint."""

    def __init__(self, base_url: str, *, model: str, api_key: str | None = None, language: str = "zh",
                 timeout: float = 60.0, http: Any = None) -> None:
        import httpx

        self.url = base_url.rstrip("/") + "/audio/transcriptions"
        self.model, self.language = model, language
        self.headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.http = http or httpx.AsyncClient(timeout=timeout)

    async def transcribe(self, pcm: np.ndarray, hints: Sequence[str]) -> str:
        data = {"model": self.model, "language": self.language, "response_format": "json"}
        if hints:
            data["prompt"] = "，".join(hints)[:400]
        response = await self.http.post(self.url, headers=self.headers, data=data,
                                        files={"file": ("voice.wav", wav_bytes(pcm), "audio/wav")})
        response.raise_for_status()
        return str(response.json().get("text", "")).strip()


class SherpaTranscriber:
    """A local sherpa-onnx Paraformer (``model_dir``: model.int8.onnx or model.onnx, tokens.txt)."""

    def __init__(self, model_dir: Path, threads: int = 2) -> None:
        self.model_dir, self.threads = model_dir, threads
        self._recognizer: Any = None

    def _load(self) -> Any:
        if self._recognizer is None:
            import sherpa_onnx

            model = next((self.model_dir / n for n in ("model.int8.onnx", "model.onnx")
                          if (self.model_dir / n).exists()), None)
            if model is None:
                raise FileNotFoundError(f"no model.onnx in {self.model_dir}")
            self._recognizer = sherpa_onnx.OfflineRecognizer.from_paraformer(
                paraformer=str(model), tokens=str(self.model_dir / "tokens.txt"), num_threads=self.threads)
        return self._recognizer

    def _run(self, pcm: np.ndarray) -> str:
        recognizer = self._load()
        stream = recognizer.create_stream()
        stream.accept_waveform(RATE, pcm)
        recognizer.decode_stream(stream)
        return str(stream.result.text).strip()

    async def transcribe(self, pcm: np.ndarray, hints: Sequence[str]) -> str:
        return await asyncio.to_thread(self._run, pcm)


class Listener:
    """Decode, cut, transcribe, join: ``await listener(data, hints)`` -> ``Heard``."""

    def __init__(self, transcriber: Transcriber, *, max_seconds: float = MAX_SECONDS) -> None:
        self.transcriber, self.max_seconds = transcriber, max_seconds

    async def __call__(self, data: bytes, hints: Sequence[str] = ()) -> Heard:
        try:
            pcm = await asyncio.to_thread(decode_pcm, data, max_seconds=self.max_seconds)
        except AudioUnreadable as exc:
            log.info("voice note unreadable", extra={"error": str(exc)})
            return Heard(problem="unreadable")
        seconds = pcm.size / RATE
        if seconds > self.max_seconds:
            return Heard(seconds=seconds, problem="too_long")
        if seconds < 0.2 or float(np.abs(pcm).max(initial=0.0)) < 1e-3:
            return Heard(seconds=seconds, problem="unclear")
        texts = []
        try:
            for piece in split_pieces(pcm):
                texts.append(await self.transcriber.transcribe(piece, hints))
        except Exception:   # the endpoint down, a bad answer, the model missing: say so, keep running
            log.warning("transcription failed", exc_info=True)
            return Heard(seconds=seconds, problem="failed")
        text = "".join(t for t in texts if t).strip()
        return Heard(text=text, seconds=seconds, problem="" if text else "unclear")


def build_listener(settings: Any) -> Listener | None:
    """The listener the settings describe (``STT_BASE_URL`` first, then ``STT_MODEL_DIR``), or None."""
    if settings.stt_base_url:
        key = settings.stt_api_key.get_secret_value() if settings.stt_api_key else None
        return Listener(HttpTranscriber(settings.stt_base_url, model=settings.stt_model, api_key=key,
                                        language=settings.stt_language),
                        max_seconds=settings.stt_max_seconds)
    if settings.stt_model_dir:
        return Listener(SherpaTranscriber(Path(settings.stt_model_dir)), max_seconds=settings.stt_max_seconds)
    return None
