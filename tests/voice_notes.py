"""Voice notes made in the test: Mandarin spoken by espeak-ng (Debian package ``espeak-ng``), encoded as Telegram
sends them (OGG/Opus) and as WeCom does (AMR-NB, 8 kHz) with PyAV, a dependency. ``spoken`` skips the calling test
with the reason when espeak-ng is missing (``scripts/test.sh`` installs it where it may)."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pytest


def spoken(text: str, voice: str = "cmn") -> np.ndarray:
    """``text`` said by espeak-ng, as mono float32 at 16 kHz."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng): no Mandarin speech to test with")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "said.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-w", str(out), text], check=True, capture_output=True, timeout=60)
        return _decode(out.read_bytes())


def _decode(data: bytes) -> np.ndarray:
    from bot.voice import decode_pcm

    return decode_pcm(data)


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * 16_000), dtype=np.float32)


def encoded(pcm: np.ndarray, container: str) -> bytes:
    """``pcm`` (16 kHz mono float32) as "ogg" (Opus, 48 kHz, Telegram's voice notes) or "amr" (AMR-NB 8 kHz, WeCom)."""
    import av

    codec, rate, fmt = {"ogg": ("libopus", 48_000, "ogg"), "amr": ("libopencore_amrnb", 8_000, "amr")}[container]
    out = io.BytesIO()
    with av.open(out, mode="w", format=fmt) as sink:
        stream = sink.add_stream(codec, rate=rate)
        stream.layout = "mono"   # type: ignore[attr-defined]
        if container == "amr":
            stream.bit_rate = 12_200
        frame = av.AudioFrame.from_ndarray((pcm * 32767).astype(np.int16).reshape(1, -1), format="s16",
                                           layout="mono")
        frame.sample_rate = 16_000
        resampler = av.AudioResampler(format=stream.format.name if stream.format else "s16",  # type: ignore[attr-defined]
                                      layout="mono", rate=rate)
        for piece in resampler.resample(frame) + resampler.resample(None):
            for packet in stream.encode(piece):
                sink.mux(packet)
        for packet in stream.encode(None):
            sink.mux(packet)
    return out.getvalue()
