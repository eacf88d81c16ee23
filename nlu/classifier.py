"""The statistical intent classifier: TF-IDF character n-grams + logistic regression.

Trained at first use from the labelled sets bundled in ``nlu/data/`` (never from the held-out
``test.jsonl`` nor the blind sets) and kept for the process (``default_classifier``); the fitted model is
also kept on disk as plain arrays (``fitted_cache``: no pickle, nothing downloaded), so the next process
for the same training data loads it in a fraction of a second instead of fitting again for seconds.

It reads *masked* text (``nlu.analysis.masked``): product names, quantities, order numbers and dates
are replaced by placeholder characters, so "AP300来二十台" and "WP600来两台" look alike and a new
manufacturer's catalogue needs no retraining. Character n-grams need no word segmentation and cope
with typos and mixed Chinese/English; word n-grams add the English words.

Probabilities come from the logistic regression (multinomial, so they sum to 1); on the held-out set
a prediction under ``LOW_CONFIDENCE`` is wrong far more often than one above it (see ``dms nlu eval``).

scikit-learn fits the model; ``predict`` does not call it. For one short message its per-call overhead
(Pipeline / FeatureUnion dispatch, input validation, sparse-matrix construction) costs far more than the
arithmetic, so after ``fit`` the fitted parts are copied into ``_LinearTextModel``, which computes the
same probabilities with dict lookups and a few numpy operations. ``self.model.predict_proba`` stays the
reference (tests/unit/test_nlu_classifier_fast.py holds the two equal to 1e-9).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from nlu.analysis import masked, training_index
from nlu.cues import CUES, INTENT_ORDER, cue_hits
from nlu.datasets import blind_files, held_out_texts, read_examples, text_key, training_files
from nlu.evaluation import read_catalogue_csv
from nlu.products import ProductIndex
from nlu.schema import LOW_CONFIDENCE, Intent

log = logging.getLogger(__name__)

__all__ = ["LOW_CONFIDENCE", "IntentClassifier", "default_classifier", "training_texts", "write_masked_training"]


class CueFeatures:
    """scikit-learn transformer: the cue-word counts of ``nlu.cues`` as features (scaled by ``weight``)."""

    def __init__(self, weight: float = 1.0) -> None:
        self.weight = weight

    def fit(self, texts: Sequence[str], y: Any = None) -> CueFeatures:
        return self

    def transform(self, texts: Sequence[str]) -> Any:
        from scipy.sparse import csr_matrix  # type: ignore[import-untyped]

        return csr_matrix([[self.weight * h for h in cue_hits(t)] for t in texts], dtype=float)

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {"weight": self.weight}

    def set_params(self, **params: Any) -> CueFeatures:
        for k, v in params.items():
            setattr(self, k, v)
        return self


@dataclass(frozen=True)
class _TfidfBlock:
    """What a fitted ``TfidfVectorizer`` needs to transform one text, as ``TfidfTransformer.transform`` does:
    counts of in-vocabulary terms, ``1 + log(tf)`` if sublinear, times idf, then L2 over this block alone."""

    analyzer: Callable[[str], list[str]]
    vocabulary: dict[str, int]
    idf: NDArray[np.float64] | None
    sublinear_tf: bool
    binary: bool
    l2: bool
    offset: int      # first column of this block in the FeatureUnion's output
    weight: float    # FeatureUnion transformer_weights (1.0 when none)

    def features(self, text: str) -> tuple[list[int], NDArray[np.float64]]:
        counts: dict[int, int] = {}
        vocabulary = self.vocabulary
        for term in self.analyzer(text):
            j = vocabulary.get(term)
            if j is not None:
                counts[j] = counts.get(j, 0) + 1
        if not counts:
            return [], np.empty(0)
        columns = list(counts)
        values = np.fromiter(counts.values(), dtype=np.float64, count=len(columns))
        if self.binary:
            values[:] = 1.0
        if self.sublinear_tf:
            values = np.log(values) + 1.0
        if self.idf is not None:
            values *= self.idf[columns]
        if self.l2:
            norm = float(np.sqrt(values @ values))
            if norm > 0.0:
                values /= norm
        if self.weight != 1.0:
            values *= self.weight
        return [self.offset + j for j in columns], values


@dataclass(frozen=True)
class _LinearTextModel:
    """The fitted ``Pipeline([FeatureUnion([tfidf..., cues]), LogisticRegression])`` as plain arrays."""

    blocks: tuple[_TfidfBlock, ...]
    cue_offset: int
    cue_weight: float       # CueFeatures.weight times the FeatureUnion weight
    coef_t: NDArray[np.float64]     # (n_features, n_classes), rows gathered per present feature
    intercept: NDArray[np.float64]
    binary_classes: bool

    @classmethod
    def from_pipeline(cls, model: Any) -> _LinearTextModel:
        from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]

        union, clf = model.named_steps["features"], model.named_steps["clf"]
        weights = union.transformer_weights or {}
        blocks: list[_TfidfBlock] = []
        offset, cue_offset, cue_weight = 0, -1, 0.0
        for name, step in union.transformer_list:
            weight = float(weights.get(name, 1.0))
            if isinstance(step, TfidfVectorizer):
                if step.norm not in ("l2", None):
                    raise ValueError(f"{name}: norm={step.norm!r} is not supported by the fast path")
                blocks.append(_TfidfBlock(
                    analyzer=step.build_analyzer(), vocabulary=dict(step.vocabulary_),
                    idf=np.asarray(step.idf_, dtype=np.float64) if step.use_idf else None,
                    sublinear_tf=bool(step.sublinear_tf), binary=bool(step.binary), l2=step.norm == "l2",
                    offset=offset, weight=weight))
                offset += len(step.vocabulary_)
            elif isinstance(step, CueFeatures) and cue_offset < 0:
                cue_offset, cue_weight = offset, weight * float(step.weight)
                offset += len(INTENT_ORDER)
            else:
                raise ValueError(f"{name}: {type(step).__name__} is not supported by the fast path")
        coef = np.asarray(clf.coef_, dtype=np.float64)
        if coef.shape[1] != offset:
            raise ValueError(f"the classifier has {coef.shape[1]} features, the union {offset}")
        return cls(blocks=tuple(blocks), cue_offset=cue_offset, cue_weight=cue_weight,
                   coef_t=np.ascontiguousarray(coef.T), intercept=np.asarray(clf.intercept_, dtype=np.float64),
                   binary_classes=len(clf.classes_) <= 2)

    def probabilities(self, text: str) -> NDArray[np.float64]:
        columns: list[int] = []
        parts: list[NDArray[np.float64]] = []
        for block in self.blocks:
            cols, values = block.features(text)
            columns += cols
            parts.append(values)
        if self.cue_offset >= 0:
            hits = cue_hits(text)
            present = [i for i, h in enumerate(hits) if h]
            columns += [self.cue_offset + i for i in present]
            parts.append(np.array([self.cue_weight * hits[i] for i in present], dtype=np.float64))
        values = np.concatenate(parts) if parts else np.empty(0)
        scores = values @ self.coef_t[columns] + self.intercept
        if self.binary_classes:     # LogisticRegression._predict_proba_lr: expit of the one score
            p1 = 1.0 / (1.0 + np.exp(-scores[0]))
            return np.array([1.0 - p1, p1])
        scores -= scores.max()      # LogisticRegression.predict_proba: softmax (multinomial)
        np.exp(scores, out=scores)
        scores /= scores.sum()
        return scores


class IntentClassifier:
    def __init__(self, C: float = 16.0, cue_weight: float = 0.25) -> None:  # noqa: N803 - scikit-learn's name
        from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped, unused-ignore]
        from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
        from sklearn.pipeline import FeatureUnion, Pipeline  # type: ignore[import-untyped]

        features = FeatureUnion([
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True, min_df=1)),
            ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), token_pattern=r"[a-z']{2,}|[\ue000-\ue00f]",
                                      sublinear_tf=True)),
            ("cues", CueFeatures(cue_weight)),
        ])
        self.model = Pipeline([("features", features),
                               ("clf", LogisticRegression(C=C, max_iter=3000, class_weight="balanced"))])
        self.classes: list[Intent] = []
        self._fast: _LinearTextModel | None = None

    def fit(self, texts: Sequence[str], intents: Sequence[Intent]) -> IntentClassifier:
        self.model.fit(list(texts), [i.value for i in intents])
        self.classes = [Intent(c) for c in self.model.classes_]
        self._fast = _LinearTextModel.from_pipeline(self.model)
        return self

    def settings(self) -> str:
        """The model's parameters, as a cache key (``fitted_cache``)."""
        return repr(sorted((k, v) for k, v in self.model.get_params(deep=True).items()
                           if v is None or isinstance(v, (bool, int, float, str, tuple))))

    def save(self, path: Path) -> None:
        """The fitted fast path as plain arrays (``numpy.savez``, no pickle), written to a temporary file and
        renamed: processes starting together read a whole file or none. A failed write is only logged."""
        fast = self._fast
        if fast is None:
            raise RuntimeError("IntentClassifier.fit has not been called")
        arrays: dict[str, Any] = {
            "classes": np.array([c.value for c in self.classes]), "coef_t": fast.coef_t,
            "intercept": fast.intercept,
            "meta": np.array(json.dumps({"cue_offset": fast.cue_offset, "cue_weight": fast.cue_weight,
                                         "binary_classes": fast.binary_classes, "blocks": [
                                             {"sublinear_tf": b.sublinear_tf, "binary": b.binary, "l2": b.l2,
                                              "offset": b.offset, "weight": b.weight, "idf": b.idf is not None}
                                             for b in fast.blocks]}))}
        for n, block in enumerate(fast.blocks):
            arrays[f"terms{n}"] = np.array(list(block.vocabulary), dtype=str)
            arrays[f"columns{n}"] = np.fromiter(block.vocabulary.values(), dtype=np.int64, count=len(block.vocabulary))
            if block.idf is not None:
                arrays[f"idf{n}"] = block.idf
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        try:
            with open(temporary, "wb") as f:
                np.savez(f, **arrays)
            os.replace(temporary, path)
        except OSError as exc:
            log.warning("nlu.fitted_cache_not_written", extra={"path": str(path), "error": repr(exc)})
            temporary.unlink(missing_ok=True)

    @classmethod
    def load(cls, path: Path) -> IntentClassifier | None:
        """The classifier ``save`` wrote (the analyzers rebuilt from this class's own vectorizers), or None when
        there is no such file or it cannot be read (then the caller fits, and writes it again)."""
        if not path.is_file():
            return None
        clf = cls()
        try:
            with np.load(path, allow_pickle=False) as data:
                meta = json.loads(str(data["meta"]))
                vectorizers = [step for _, step in clf.model.named_steps["features"].transformer_list
                               if hasattr(step, "build_analyzer")]
                if len(vectorizers) != len(meta["blocks"]):
                    return None
                blocks = tuple(_TfidfBlock(
                    analyzer=vectorizer.build_analyzer(),
                    vocabulary=dict(zip(data[f"terms{n}"].tolist(), data[f"columns{n}"].tolist(), strict=True)),
                    idf=np.asarray(data[f"idf{n}"], dtype=np.float64) if b["idf"] else None,
                    sublinear_tf=b["sublinear_tf"], binary=b["binary"], l2=b["l2"], offset=b["offset"],
                    weight=b["weight"]) for n, (vectorizer, b) in enumerate(zip(vectorizers, meta["blocks"], strict=True)))
                clf._fast = _LinearTextModel(
                    blocks=blocks, cue_offset=meta["cue_offset"], cue_weight=meta["cue_weight"],
                    coef_t=np.ascontiguousarray(data["coef_t"], dtype=np.float64),
                    intercept=np.asarray(data["intercept"], dtype=np.float64), binary_classes=meta["binary_classes"])
                clf.classes = [Intent(c) for c in data["classes"].tolist()]
        except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile) as exc:
            log.warning("nlu.fitted_cache_unreadable", extra={"path": str(path), "error": repr(exc)})
            return None
        return clf

    def probabilities(self, masked_text: str) -> NDArray[np.float64]:
        """The probability of each intent in ``self.classes`` order; equal to
        ``self.model.predict_proba([masked_text])[0]`` without scikit-learn's per-call overhead."""
        if self._fast is None:
            raise RuntimeError("IntentClassifier.fit has not been called")
        return self._fast.probabilities(masked_text)

    def predict(self, masked_text: str) -> list[tuple[Intent, float]]:
        """Every intent with its probability, best first."""
        probs = self.probabilities(masked_text)
        return sorted(zip(self.classes, (float(p) for p in probs), strict=True), key=lambda x: -x[1])


@lru_cache(maxsize=1)
def default_classifier() -> IntentClassifier:
    """Trained on the bundled training data (``training_texts``), once per process, or loaded from the fitted
    model a process saved for the same training texts (``fitted_cache``): the fit takes seconds (about 9 s of
    one core for 11,000 messages), and every web process, worker and test process would pay it at start."""
    texts, intents = training_texts()
    cache = fitted_cache(texts, intents)
    if cache is not None and (loaded := IntentClassifier.load(cache)) is not None:
        return loaded
    clf = IntentClassifier().fit(texts, intents)
    if cache is not None:
        clf.save(cache)
    return clf


#: bump when what ``IntentClassifier.save`` writes changes
FITTED_FORMAT = 1


def fitted_cache(texts: Sequence[str], intents: Sequence[Intent]) -> Path | None:
    """Where the model fitted on exactly these texts is kept: ``$DMS_NLU_CACHE`` (``off``: nowhere), else
    ``$XDG_CACHE_HOME/dms/nlu`` (``~/.cache``), one file per training data, model settings, cue words and
    scikit-learn version. None when no such folder can be made."""
    import sklearn  # type: ignore[import-untyped]

    setting = os.environ.get("DMS_NLU_CACHE", "")
    if setting.lower() == "off":
        return None
    folder = Path(setting) if setting else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "dms" / "nlu"
    # the cue words are features too: a cue changed is another model (was: the model fitted before it, from the cache)
    h = hashlib.sha256(f"{FITTED_FORMAT}|{sklearn.__version__}|{IntentClassifier().settings()}|{CUES!r}".encode())
    for text, intent in zip(texts, intents, strict=True):
        h.update(f"{text}\x00{intent.value}\x01".encode())
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder / f"intent-{h.hexdigest()[:24]}.npz"


#: the training messages already masked (``write_masked_training``), with the fingerprint of the data they came from
MASKED_FILE = "masked_training.jsonl"


def training_texts() -> tuple[list[str], list[Intent]]:
    """Every training message (``training_files``) masked against the catalogue it was written for: read from
    ``nlu/data/masked_training.jsonl`` when that file was written from the same data (``data_fingerprint``), else
    masked now. The file keeps the classifier the same when the product finder changes (a finder change that
    masked a few training messages differently used to move borderline intents of unrelated messages) and saves
    the masking at start-up; ``dms nlu mask`` writes it again, a test fails when the data changed without it."""
    stored = _stored_masks()
    return stored if stored is not None else masked_training()


def masked_training() -> tuple[list[str], list[Intent]]:
    """``training_texts`` masked now with the current product finder."""
    texts: list[str] = []
    intents: list[Intent] = []
    held = held_out_texts()
    for part, catalogue in training_files():
        index = training_index() if catalogue is None else ProductIndex(
            read_catalogue_csv(catalogue.read_text("utf-8")))
        for e in read_examples(part.read_text("utf-8").splitlines()):
            if text_key(e.text) in held:
                continue
            texts.append(masked(e.text, index))
            intents.append(e.intent)
    return texts, intents


def data_fingerprint() -> str:
    """sha256 over what the training texts depend on: each training file and its catalogue, the held-out split
    and the blind sets (a training message written like one of theirs is left out)."""
    h = hashlib.sha256()
    data = resources.files("nlu").joinpath("data")
    parts: list[Any] = [p for pair in training_files() for p in pair if p is not None]
    for part in [*parts, data.joinpath("test.jsonl"), data.joinpath("catalogue.json"), *blind_files()]:
        h.update(str(part.name).encode())
        h.update(part.read_bytes())
    return h.hexdigest()


def write_masked_training(path: Any = None) -> tuple[Any, int]:
    """Mask the training messages with the current finder and write them (default ``nlu/data/masked_training.jsonl``
    of the source tree): the first line the data's fingerprint, then one ``{"text", "intent"}`` a line."""
    texts, intents = masked_training()
    target = path or resources.files("nlu").joinpath("data", MASKED_FILE)
    lines = [json.dumps({"fingerprint": data_fingerprint(), "messages": len(texts)})]
    lines += [json.dumps({"text": t, "intent": i.value}, ensure_ascii=False) for t, i in zip(texts, intents, strict=True)]
    with open(str(target), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return target, len(texts)


def _stored_masks() -> tuple[list[str], list[Intent]] | None:
    stored = resources.files("nlu").joinpath("data", MASKED_FILE)
    if not stored.is_file():
        return None
    lines = stored.read_text("utf-8").splitlines()
    if not lines or json.loads(lines[0]).get("fingerprint") != data_fingerprint():
        return None
    rows = [json.loads(line) for line in lines[1:] if line.strip()]
    return [r["text"] for r in rows], [Intent(r["intent"]) for r in rows]
