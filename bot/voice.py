"""Voice notes -> text: decode (PyAV: FFmpeg's decoders in a wheel, so OGG/Opus from Telegram and AMR from WeCom
need no system ffmpeg), cut into pieces of at most ``PIECE_SECONDS`` at the quietest moment near each cut, and
transcribe each piece by

- an OpenAI-compatible ``POST {STT_BASE_URL}/audio/transcriptions`` (multipart: ``file`` = 16 kHz mono WAV,
  ``model``, ``language``, ``prompt`` = the catalogue's product words as hints): a cloud, or self-hosted FunASR,
  faster-whisper-server, vLLM; or
- a local sherpa-onnx model when ``STT_MODEL_DIR`` holds one (``pip install 'dms[voice]'``): a Paraformer
  (``model.int8.onnx`` or ``model.onnx``, ``tokens.txt``; e.g. paraformer-zh-small, ~79 MB), a SenseVoice (the same
  files, a directory named ``*sense*voice*``) or a transducer (``encoder*.onnx``, ``decoder*.onnx``,
  ``joiner*.onnx``, ``tokens.txt``; e.g. a zipformer zh); only a transducer takes the catalogue's words as hot words.

Pieces go to an endpoint a few at a time (``HttpTranscriber.parallel``) and their texts are joined in order; a local
model decodes one piece at a time (two cores are shared with everything else).

``Listener`` is handed to the conversations as ``Deps.hear``; it never raises: a ``Heard`` says what went wrong.
"""

from __future__ import annotations

import asyncio
import io
import logging
import threading
import wave
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import httpx
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


def join_texts(texts: Sequence[str]) -> str:
    """The pieces' texts as one: glued (Chinese has no spaces), a space only between two Latin letters or digits."""
    out = ""
    for text in (t.strip() for t in texts):
        if text:
            out += (" " if out and out[-1].isascii() and out[-1].isalnum() and text[0].isascii()
                    and text[0].isalnum() else "") + text
    return out


class Transcriber(Protocol):
    """Speech (16 kHz mono float32, at most ``PIECE_SECONDS``) -> text; ``parallel``: pieces at once."""

    parallel: int

    async def transcribe(self, pcm: np.ndarray, hints: Sequence[str]) -> str: ...


ATTEMPTS = 2                 # a piece is sent again once after a network error or 429/5xx
RETRY_SECONDS = 0.5
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class HttpTranscriber:
    """An OpenAI-compatible ``/audio/transcriptions`` endpoint; ``parallel`` pieces of one note in flight at once;
    a piece the service refuses for being busy (429, 5xx) or loses on the way is sent once more."""

    def __init__(self, base_url: str, *, model: str, api_key: str | None = None, language: str = "zh",
                 timeout: float = 60.0, parallel: int = 3, http: Any = None) -> None:
        self.parallel = max(1, parallel)
        self.url = base_url.rstrip("/") + "/audio/transcriptions"
        self.model, self.language = model, language
        self.headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.http = http or httpx.AsyncClient(timeout=timeout)

    async def transcribe(self, pcm: np.ndarray, hints: Sequence[str]) -> str:
        data = {"model": self.model, "response_format": "json"}
        if self.language and self.language != "auto":      # "auto": the service tells the language itself
            data["language"] = self.language
        if hints:
            data["prompt"] = "，".join(hints)[:400]
        audio = wav_bytes(pcm)
        for attempt in range(1, ATTEMPTS + 1):    # a busy or restarting service gets a second chance
            try:
                response = await self.http.post(self.url, headers=self.headers, data=data,
                                                files={"file": ("voice.wav", audio, "audio/wav")})
            except httpx.TransportError:
                if attempt == ATTEMPTS:
                    raise
                await asyncio.sleep(RETRY_SECONDS)
                continue
            if response.status_code in RETRY_STATUSES and attempt < ATTEMPTS:
                log.info("transcription retried", extra={"status": response.status_code})
                await asyncio.sleep(RETRY_SECONDS)
                continue
            break
        response.raise_for_status()
        if response.headers.get("content-type", "").startswith("text/plain"):   # some servers answer bare text
            return response.text.strip()
        return str(response.json().get("text", "")).strip()


SHERPA_KINDS = ("paraformer", "sense_voice", "transducer")


def _first(model_dir: Path, *patterns: str) -> Path | None:
    """The first file matching one of ``patterns`` (int8 before full precision, names sorted)."""
    for pattern in patterns:
        found = sorted(model_dir.glob(pattern))
        if found:
            return found[0]
    return None


def sherpa_kind(model_dir: Path) -> str:
    """Which sherpa-onnx model ``model_dir`` holds, by its files (and ``sense`` in its name for SenseVoice)."""
    if all(_first(model_dir, f"{part}*.onnx") for part in ("encoder", "decoder", "joiner")):
        return "transducer"
    if "sense" in model_dir.name.lower().replace("-", "").replace("_", ""):
        return "sense_voice"
    return "paraformer"


class SherpaTranscriber:
    """A local sherpa-onnx model in ``model_dir`` (``kind``: "auto" or one of ``SHERPA_KINDS``), loaded on first use.

    A transducer decodes with modified beam search and takes the hints as hot words (``hotwords_score``); a
    Paraformer or SenseVoice takes none. Without ``sherpa-onnx`` installed or with files missing the first note
    fails (answered "not available right now") and the reason is logged."""

    parallel = 1

    def __init__(self, model_dir: Path, *, kind: str = "auto", threads: int = 2, hotwords_score: float = 2.0,
                 language: str = "zh") -> None:
        if kind not in ("auto", *SHERPA_KINDS):
            raise ValueError(f"unknown sherpa-onnx model kind {kind!r}")
        self.model_dir, self.threads, self.hotwords_score, self.language = model_dir, threads, hotwords_score, language
        self.kind = sherpa_kind(model_dir) if kind == "auto" else kind
        self._recognizer: Any = None
        self._loading = threading.Lock()

    def _need(self, *patterns: str) -> str:
        found = _first(self.model_dir, *patterns)
        if found is None:
            raise FileNotFoundError(f"no {' or '.join(patterns)} in {self.model_dir}")
        return str(found)

    def _load(self) -> Any:
        with self._loading:
            if self._recognizer is None:
                import sherpa_onnx

                recognizer = sherpa_onnx.OfflineRecognizer
                tokens = self._need("tokens.txt")
                if self.kind == "transducer":
                    bpe = _first(self.model_dir, "bpe.vocab")
                    self._recognizer = recognizer.from_transducer(
                        encoder=self._need("encoder*.int8.onnx", "encoder*.onnx"),
                        decoder=self._need("decoder*.onnx"),
                        joiner=self._need("joiner*.int8.onnx", "joiner*.onnx"), tokens=tokens,
                        num_threads=self.threads, decoding_method="modified_beam_search",
                        hotwords_score=self.hotwords_score,
                        modeling_unit="cjkchar+bpe" if bpe else "cjkchar", bpe_vocab=str(bpe or ""))
                elif self.kind == "sense_voice":
                    self._recognizer = recognizer.from_sense_voice(
                        model=self._need("model.int8.onnx", "model.onnx"), tokens=tokens, num_threads=self.threads,
                        language=self.language, use_itn=True)
                else:
                    self._recognizer = recognizer.from_paraformer(
                        paraformer=self._need("model.int8.onnx", "model.onnx"), tokens=tokens,
                        num_threads=self.threads)
            return self._recognizer

    def _run(self, pcm: np.ndarray, hints: Sequence[str]) -> str:
        recognizer = self._load()
        words = [w.strip().replace("/", " ") for w in hints if w.strip()] if self.kind == "transducer" else []
        stream = recognizer.create_stream(hotwords="/".join(words)) if words else recognizer.create_stream()
        stream.accept_waveform(RATE, pcm)
        recognizer.decode_stream(stream)
        return str(stream.result.text).strip()

    async def transcribe(self, pcm: np.ndarray, hints: Sequence[str]) -> str:
        return await asyncio.to_thread(self._run, pcm, hints)


class Listener:
    """Decode, cut, transcribe, join: ``await listener(data, hints)`` -> ``Heard``."""

    def __init__(self, transcriber: Transcriber, *, max_seconds: float = MAX_SECONDS) -> None:
        self.transcriber, self.max_seconds = transcriber, max_seconds

    async def __call__(self, data: bytes, hints: Sequence[str] = ()) -> Heard:
        try:
            pcm = await asyncio.to_thread(decode_pcm, data, max_seconds=self.max_seconds)
        except AudioUnreadable as exc:
            log.info("voice note unreadable", extra={"error": str(exc)})
            return Heard(problem="unreadable", limit=self.max_seconds)
        seconds = pcm.size / RATE
        if seconds > self.max_seconds:
            return Heard(seconds=seconds, problem="too_long", limit=self.max_seconds)
        if seconds < 0.2 or float(np.abs(pcm).max(initial=0.0)) < 1e-3:
            return Heard(seconds=seconds, problem="unclear", limit=self.max_seconds)
        gate = asyncio.Semaphore(max(1, getattr(self.transcriber, "parallel", 1)))

        async def one(piece: np.ndarray) -> str:
            async with gate:
                return await self.transcriber.transcribe(piece, hints)

        try:           # joined in order, whichever answers first; one failure cancels the rest
            async with asyncio.TaskGroup() as group:
                tasks = [group.create_task(one(piece)) for piece in split_pieces(pcm)]
            texts = [task.result() for task in tasks]
        except Exception:   # the endpoint down, a bad answer, the model missing: say so, keep running
            log.warning("transcription failed", exc_info=True)
            return Heard(seconds=seconds, problem="failed", limit=self.max_seconds)
        text = join_texts(texts)
        return Heard(text=text, seconds=seconds, problem="" if text else "unclear", limit=self.max_seconds)


def build_listener(settings: Any) -> Listener | None:
    """The listener the settings describe (``STT_BASE_URL`` first, then ``STT_MODEL_DIR``), or None."""
    if settings.stt_base_url:
        key = settings.stt_api_key.get_secret_value() if settings.stt_api_key else None
        return Listener(HttpTranscriber(settings.stt_base_url, model=settings.stt_model, api_key=key,
                                        language=settings.stt_language, parallel=settings.stt_parallel),
                        max_seconds=settings.stt_max_seconds)
    if settings.stt_model_dir:
        return Listener(SherpaTranscriber(Path(settings.stt_model_dir), kind=settings.stt_model_kind,
                                          language=settings.stt_language),
                        max_seconds=settings.stt_max_seconds)
    return None
