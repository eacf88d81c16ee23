"""The statistical intent classifier: TF-IDF character n-grams + logistic regression.

Trained at first use from the labelled set bundled in ``nlu/data/train.jsonl`` (never from the
held-out ``test.jsonl``) and kept for the process (``default_classifier``): training takes well under
a second, so nothing is pickled and nothing is downloaded.

It reads *masked* text (``nlu.offline.masked``): product names, quantities, order numbers and dates
are replaced by placeholder characters, so "AP300来二十台" and "WP600来两台" look alike and a new
manufacturer's catalogue needs no retraining. Character n-grams need no word segmentation and cope
with typos and mixed Chinese/English; word n-grams add the English words.

Probabilities come from the logistic regression (multinomial, so they sum to 1); on the held-out set
a prediction under ``LOW_CONFIDENCE`` is wrong far more often than one above it (see ``dms nlu eval``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from nlu.cues import cue_hits
from nlu.schema import Intent

LOW_CONFIDENCE = 0.6


@dataclass(frozen=True)
class Example:
    text: str
    intent: Intent
    slots: dict[str, Any]


def read_examples(lines: Iterable[str]) -> list[Example]:
    out = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            out.append(Example(text=str(raw["text"]), intent=Intent(raw["intent"]), slots=dict(raw.get("slots") or {})))
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"line {n}: {exc}") from exc
    return out


def bundled_examples(name: str = "train") -> list[Example]:
    text = resources.files("nlu").joinpath("data", f"{name}.jsonl").read_text("utf-8")
    return read_examples(text.splitlines())


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


class IntentClassifier:
    def __init__(self, C: float = 2.0, cue_weight: float = 1.0) -> None:  # noqa: N803 - scikit-learn's name
        from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]
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

    def fit(self, texts: Sequence[str], intents: Sequence[Intent]) -> IntentClassifier:
        self.model.fit(list(texts), [i.value for i in intents])
        self.classes = [Intent(c) for c in self.model.classes_]
        return self

    def predict(self, masked_text: str) -> list[tuple[Intent, float]]:
        """Every intent with its probability, best first."""
        probs = self.model.predict_proba([masked_text])[0]
        return sorted(zip(self.classes, (float(p) for p in probs), strict=True), key=lambda x: -x[1])


@lru_cache(maxsize=1)
def default_classifier() -> IntentClassifier:
    """Trained once per process on the bundled training split."""
    from nlu.offline import masked, training_index

    index = training_index()
    examples = bundled_examples("train")
    return IntentClassifier().fit([masked(e.text, index) for e in examples], [e.intent for e in examples])
