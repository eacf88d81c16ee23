"""IntentClassifier.predict computes its probabilities without scikit-learn (nlu.classifier._LinearTextModel);
scikit-learn's own ``predict_proba`` on the same fitted pipeline is the reference they must equal."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nlu.analysis import masked, training_index
from nlu.classifier import IntentClassifier, default_classifier, fitted_cache, training_texts
from nlu.datasets import bundled_examples
from nlu.schema import Intent

TOLERANCE = 1e-9


@pytest.fixture(scope="module")
def fitted_here() -> IntentClassifier:
    """The default classifier fitted in this process (``default_classifier`` may come from the on-disk cache,
    with no scikit-learn model behind it): the reference the default must equal."""
    return IntentClassifier().fit(*training_texts())


def assert_same_as_reference(clf: IntentClassifier, texts: list[str],
                             reference_clf: IntentClassifier | None = None) -> None:
    reference = (reference_clf or clf).model.predict_proba(texts)
    for text, expected in zip(texts, reference, strict=True):
        fast = clf.probabilities(text)
        assert fast.shape == expected.shape
        np.testing.assert_allclose(fast, expected, rtol=0, atol=TOLERANCE, err_msg=repr(text))
        ranked = clf.predict(text)
        expected_order = [clf.classes[i] for i in sorted(range(len(expected)), key=lambda i: -expected[i])]
        assert [intent for intent, _ in ranked] == expected_order, repr(text)
        assert sum(p for _, p in ranked) == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("split", ["test", "train"])
def test_bundled_sets_match_scikit_learn(split: str, fitted_here: IntentClassifier) -> None:
    index = training_index()
    texts = [masked(e.text, index) for e in bundled_examples(split)]
    assert len(texts) > 100
    assert_same_as_reference(default_classifier(), texts, fitted_here)


ODD = [
    "",
    " ",
    "ጀጀጀ ꙮꙮ 𓀀𓀀𓀀",                 # only characters the training set never saw
    "😀🚀🔥 有货吗 👍🏽",
    "AP300 有货吗 " * 500,              # 5,000 characters
    "取消" * 2500,                      # cue counts capped at 3, tf far above any training text
    "\ue000 \ue001 \ue002 \ue003",      # only the masks
    "ORDER CANCEL Stock?!",             # upper case: the vectorizers lower-case, the cues do not
    "ｆｕｌｌ－ｗｉｄｔｈ　ＡＰ３００",
    "\x00\t\n\r",
]


def test_odd_inputs_match_scikit_learn(fitted_here: IntentClassifier) -> None:
    assert len(ODD[4]) == 5000
    assert_same_as_reference(default_classifier(), ODD, fitted_here)


def test_the_fitted_model_is_kept_on_disk_and_read_back_the_same(
        fitted_here: IntentClassifier, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from nlu import classifier

    monkeypatch.setenv("DMS_NLU_CACHE", str(tmp_path))
    texts, intents = training_texts()
    path = fitted_cache(texts, intents)
    assert path is not None and path.parent == tmp_path and not path.exists()
    fitted_here.save(path)
    loaded = IntentClassifier.load(path)
    assert loaded is not None and loaded.classes == fitted_here.classes
    assert_same_as_reference(loaded, [masked(e.text, training_index()) for e in bundled_examples("test")] + ODD,
                             fitted_here)
    # other training texts: another file; a file that cannot be read is fitted again and written anew
    assert fitted_cache(texts[1:], intents[1:]) != path
    # other cue words (features of the model): another file, never the model fitted with the old ones
    monkeypatch.setitem(classifier.CUES, Intent.CANCEL, (*classifier.CUES[Intent.CANCEL], "^不搞了"))
    assert fitted_cache(texts, intents) != path
    monkeypatch.undo()
    monkeypatch.setenv("DMS_NLU_CACHE", str(tmp_path))
    path.write_bytes(b"not a model")
    assert IntentClassifier.load(path) is None
    monkeypatch.setattr(classifier, "training_texts", lambda: (texts[:200], intents[:200]))
    classifier.default_classifier.cache_clear()
    try:
        refit = classifier.default_classifier()
        written = fitted_cache(texts[:200], intents[:200])
        assert written is not None and IntentClassifier.load(written) is not None
        assert refit.predict("AP300 有货吗")[0] == IntentClassifier.load(written).predict("AP300 有货吗")[0]
        monkeypatch.setenv("DMS_NLU_CACHE", "off")
        assert fitted_cache(texts, intents) is None
    finally:
        classifier.default_classifier.cache_clear()


def test_a_model_fitted_here_matches_and_refits() -> None:
    # A classifier other than the cached default: other weights, and a second fit replaces the fast path.
    clf = IntentClassifier(C=0.5, cue_weight=3.0)
    clf.fit(["有货吗 库存 stock", "发货了吗 物流 shipped", "你好 在吗 hello", "取消订单 \ue002 cancel"],
            [Intent.QUERY_STOCK, Intent.ORDER_STATUS, Intent.GREETING, Intent.CANCEL_ORDER])
    texts = ["库存还有吗", "到哪了 物流", "hello", "", "取消订单 \ue002"]
    assert_same_as_reference(clf, texts)
    first = clf.probabilities("库存还有吗")
    clf.fit(["有货吗 stock", "发货了吗 shipped"], [Intent.QUERY_STOCK, Intent.ORDER_STATUS])
    assert clf.classes == [Intent.ORDER_STATUS, Intent.QUERY_STOCK]
    assert clf.probabilities("库存还有吗").shape == (2,) != first.shape
    assert_same_as_reference(clf, texts)   # two classes: scikit-learn's binary (logistic) branch


def test_unfitted_classifier_refuses() -> None:
    with pytest.raises(RuntimeError):
        IntentClassifier().predict("有货吗")


def test_feature_union_weights_are_applied() -> None:
    clf = IntentClassifier()
    clf.model.set_params(features__transformer_weights={"chars": 2.0, "words": 0.5, "cues": 3.0})
    index = training_index()
    examples = bundled_examples("train")[::3]
    clf.fit([masked(e.text, index) for e in examples], [e.intent for e in examples])
    assert_same_as_reference(clf, [masked(e.text, index) for e in bundled_examples("test")[:40]] + ODD)
