"""bot.voice without a speech service: which sherpa-onnx model a directory holds and how it is called (a recording
stand-in for the ``sherpa_onnx`` module: the real one needs a model of tens of MB; tests/e2e/test_voice_notes.py runs
it when STT_MODEL_DIR is set), the catalogue's words as hot words only where the model takes them, pieces of a long
note transcribed a few at a time and joined in order, one failing piece answered as a failure."""

from __future__ import annotations

import asyncio
import sys
import types
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bot.voice import RATE, Listener, SherpaTranscriber, join_texts, sherpa_kind, wav_bytes


def tone(seconds: float, hz: float = 220.0) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return (0.3 * np.sin(2 * np.pi * hz * t)).astype(np.float32)


def model_dir(tmp_path: Path, name: str, *files: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    for file in files:
        (folder / file).write_bytes(b"onnx")
    return folder


class FakeStream:
    def __init__(self, hotwords: str | None) -> None:
        self.hotwords, self.samples, self.rate = hotwords, np.zeros(0, np.float32), 0
        self.result = types.SimpleNamespace(text="")

    def accept_waveform(self, rate: int, samples: np.ndarray) -> None:
        self.rate, self.samples = rate, np.concatenate([self.samples, samples])


class FakeRecognizer:
    made: list[tuple[str, dict[str, Any]]] = []

    def __init__(self, how: str, kwargs: dict[str, Any]) -> None:
        self.how, self.kwargs, self.streams = how, kwargs, []  # type: list[FakeStream]
        FakeRecognizer.made.append((how, kwargs))

    @classmethod
    def from_paraformer(cls, **kw: Any) -> FakeRecognizer:
        return cls("paraformer", kw)

    @classmethod
    def from_sense_voice(cls, **kw: Any) -> FakeRecognizer:
        return cls("sense_voice", kw)

    @classmethod
    def from_transducer(cls, **kw: Any) -> FakeRecognizer:
        return cls("transducer", kw)

    def create_stream(self, hotwords: str | None = None) -> FakeStream:
        self.streams.append(FakeStream(hotwords))
        return self.streams[-1]

    def decode_stream(self, stream: FakeStream) -> None:
        stream.result.text = f" {stream.rate} Hz {stream.samples.size / stream.rate:.1f} s "


@pytest.fixture
def sherpa(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[FakeRecognizer]]:
    FakeRecognizer.made = []
    monkeypatch.setitem(sys.modules, "sherpa_onnx", types.SimpleNamespace(OfflineRecognizer=FakeRecognizer))
    yield FakeRecognizer


def test_the_kind_of_model_is_told_by_its_files_and_name(tmp_path: Path) -> None:
    assert sherpa_kind(model_dir(tmp_path, "sherpa-onnx-paraformer-zh-small-2024-03-09", "model.int8.onnx",
                                 "tokens.txt")) == "paraformer"
    assert sherpa_kind(model_dir(tmp_path, "sherpa-onnx-sense-voice-zh-en-ja-ko-yue-2024-07-17", "model.int8.onnx",
                                 "tokens.txt")) == "sense_voice"
    assert sherpa_kind(model_dir(tmp_path, "zipformer-zh", "encoder-epoch-20-avg-1.int8.onnx",
                                 "decoder-epoch-20-avg-1.onnx", "joiner-epoch-20-avg-1.int8.onnx",
                                 "tokens.txt")) == "transducer"
    with pytest.raises(ValueError):
        SherpaTranscriber(tmp_path, kind="whisper")


async def test_a_paraformer_hears_16k_mono_and_takes_no_hot_words(tmp_path: Path,
                                                                  sherpa: type[FakeRecognizer]) -> None:
    folder = model_dir(tmp_path, "paraformer-zh", "model.onnx", "model.int8.onnx", "tokens.txt")
    hear = SherpaTranscriber(folder, threads=2)
    assert await hear.transcribe(tone(1.5), ["AP300", "空气净化器"]) == "16000 Hz 1.5 s"
    assert await hear.transcribe(tone(0.5), []) == "16000 Hz 0.5 s"
    [(how, kw)] = sherpa.made                                      # loaded once, on the first note
    assert how == "paraformer" and kw["paraformer"] == str(folder / "model.int8.onnx")
    assert kw["tokens"] == str(folder / "tokens.txt") and kw["num_threads"] == 2
    assert [s.hotwords for s in hear._recognizer.streams] == [None, None]


async def test_a_transducer_takes_the_catalogue_words_as_hot_words(tmp_path: Path,
                                                                  sherpa: type[FakeRecognizer]) -> None:
    folder = model_dir(tmp_path, "zipformer-zh", "encoder-epoch-20.onnx", "encoder-epoch-20.int8.onnx",
                       "decoder-epoch-20.onnx", "joiner-epoch-20.int8.onnx", "tokens.txt")
    hear = SherpaTranscriber(folder)
    await hear.transcribe(tone(1.0), ["AP300", "空气净化器 AP300", " ", "滤网/套装"])
    [(how, kw)] = sherpa.made
    assert how == "transducer" and kw["decoding_method"] == "modified_beam_search"
    assert kw["encoder"].endswith("encoder-epoch-20.int8.onnx") and kw["modeling_unit"] == "cjkchar"
    assert hear._recognizer.streams[0].hotwords == "AP300/空气净化器 AP300/滤网 套装"
    sense = SherpaTranscriber(model_dir(tmp_path, "sense_voice_small", "model.int8.onnx", "tokens.txt"))
    await sense.transcribe(tone(1.0), ["AP300"])
    assert sherpa.made[-1][0] == "sense_voice" and sense._recognizer.streams[0].hotwords is None


async def test_a_model_directory_without_the_model_is_a_failure_the_dealer_is_told_of(
        tmp_path: Path, sherpa: type[FakeRecognizer]) -> None:
    hear = Listener(SherpaTranscriber(model_dir(tmp_path, "empty", "tokens.txt")))
    heard = await hear(wav_bytes(tone(2.0)), ["AP300"])
    assert (heard.problem, heard.text, round(heard.seconds, 1)) == ("failed", "", 2.0)


class Slow:
    """Answers each piece with its number after a delay that makes the first answer come last."""

    def __init__(self, parallel: int, fail_piece: int = -1) -> None:
        self.parallel, self.fail_piece = parallel, fail_piece
        self.at_once = self.most = 0
        self.started: list[int] = []
        self.finished: list[int] = []

    async def transcribe(self, pcm: np.ndarray, hints: Sequence[str]) -> str:
        number = len(self.started)
        self.started.append(number)
        self.at_once += 1
        self.most = max(self.most, self.at_once)
        try:
            await asyncio.sleep(0.3 if number == 0 else 0.05)
            if number == self.fail_piece:
                raise ConnectionError("the service went away")
            self.finished.append(number)
            return f"第{number}段"
        finally:
            self.at_once -= 1


def seventy_seconds() -> bytes:
    """70 s of tone broken by a pause every 10 s: three pieces of at most 30 s."""
    return wav_bytes(np.concatenate([np.concatenate([tone(9.5), np.zeros(RATE // 2, np.float32)])] * 7))


async def test_pieces_go_a_few_at_a_time_and_are_joined_in_order() -> None:
    slow = Slow(parallel=2)
    heard = await Listener(slow)(seventy_seconds())
    assert heard.text == "第0段第1段第2段" and heard.problem == ""
    assert slow.finished[0] != 0 and slow.most == 2
    alone = Slow(parallel=1)
    assert (await Listener(alone)(seventy_seconds())).text == "第0段第1段第2段" and alone.most == 1


async def test_one_piece_failing_stops_the_others_and_says_failed() -> None:
    slow = Slow(parallel=3, fail_piece=1)
    heard = await Listener(slow)(seventy_seconds())
    assert (heard.problem, heard.text) == ("failed", "")
    assert 0 not in slow.finished                    # the slow first piece was cancelled, not left running


def test_texts_are_glued_with_a_space_only_between_latin_words() -> None:
    assert join_texts(["AP300来二十台，", " 滤网来五箱 ", "", "DH20"]) == "AP300来二十台，滤网来五箱DH20"
    assert join_texts(["twenty AP300", "and five filters"]) == "twenty AP300 and five filters"
    assert join_texts([]) == ""
