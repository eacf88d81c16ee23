"""What a voice note costs dms besides the speech model: decoding (PyAV), cutting into pieces, and the requests.

    .venv/bin/python bench/voice_decode.py [--seconds 60] [--repeat 5]

A Mandarin note made by espeak-ng (``tests/voice_notes.py``), repeated to ``--seconds``, encoded as Telegram
(OGG/Opus) and WeCom (AMR-NB) send it, then decoded to 16 kHz mono and cut (``bot.voice``) ``--repeat`` times
(CPU time); then the whole ``Listener`` (decode, cut, WAV, multipart requests STT_PARALLEL at a time) against the
local transcription stand-in answering at once (wall time: what dms adds to the model's own time).
Last line: ``voice ogg_ms_per_s=… amr_ms_per_s=… listen_ms_per_s=…`` (milliseconds per second of audio).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from bot.voice import RATE, HttpTranscriber, Listener, decode_pcm, split_pieces, wav_bytes  # noqa: E402
from tests.e2e.stt_standin import SttStandIn  # noqa: E402
from tests.voice_notes import encoded, silence, spoken  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    said = spoken("AP300 来二十台，滤网来五箱，下周三之前送到")
    pcm = np.concatenate([said, silence(0.5)] * int(np.ceil(args.seconds * RATE / (said.size + RATE // 2))))
    seconds = pcm.size / RATE
    per_second = {}
    for container in ("ogg", "amr"):
        note = encoded(pcm, container)
        started = time.process_time()
        for _ in range(args.repeat):
            pieces = split_pieces(decode_pcm(note))
            for piece in pieces:
                wav_bytes(piece)
        cpu = (time.process_time() - started) / args.repeat
        per_second[container] = 1000 * cpu / seconds
        print(f"{container}: {len(note):,} bytes for {seconds:.1f} s, decode + cut + WAV {1000 * cpu:.0f} ms CPU "
              f"({per_second[container]:.1f} ms per second of audio), {len(pieces)} piece(s)")
    listen = asyncio.run(_listen(encoded(pcm, "ogg"), args.repeat))
    print(f"listener over HTTP (stand-in answering at once, 3 pieces at a time): {1000 * listen:.0f} ms wall for "
          f"{seconds:.1f} s of OGG ({1000 * listen / seconds:.1f} ms per second of audio)")
    print(f"voice ogg_ms_per_s={per_second['ogg']:.1f} amr_ms_per_s={per_second['amr']:.1f} "
          f"listen_ms_per_s={1000 * listen / seconds:.1f}")


async def _listen(note: bytes, repeat: int) -> float:
    """Seconds of wall time one note takes through ``Listener`` and a transcription stand-in with no delay."""
    async with SttStandIn(delay=0.0) as stt:
        hear = Listener(HttpTranscriber(stt.base_url, model=stt.model, parallel=3))
        await hear(note, ["AP300"])                         # the first request opens the connections
        started = time.perf_counter()
        for _ in range(repeat):
            heard = await hear(note, ["AP300", "空气净化器AP300"])
        elapsed = (time.perf_counter() - started) / repeat
        assert stt.refused == [] and heard.problem in ("", "unclear"), (stt.refused, heard)
        return elapsed


if __name__ == "__main__":
    main()
