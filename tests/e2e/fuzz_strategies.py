"""Hypothesis strategies and update builders shared by the Telegram fuzz tests (webhook and polling)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

ODD = "\u202e\u200f\u200d\u200b\ufeff\U0001f600\U0001f1e8\U0001f1f3\u0000\ud800\udfff\u0301\uffff"
odd_text = st.text(alphabet=st.sampled_from(list(ODD) + list("订单AP300 来两台/|1")), max_size=60)
huge_text = st.builds(lambda unit, n: unit * n, st.sampled_from(["啊", "a", "\U0001f600", "\u200b", "/"]),
                      st.integers(4000, 20000))
json_junk: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | odd_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6)


def message(chat: Any, text: Any, **extra: Any) -> dict[str, Any]:
    return {"message_id": 1, "date": 1_764_000_000, "chat": {"id": chat, "type": "private"},
            "from": {"id": chat, "is_bot": False, "first_name": "x"}, "text": text, **extra}


def callback(chat: Any, data: Any) -> dict[str, Any]:
    return {"id": "cbfuzz", "from": {"id": chat, "is_bot": False, "first_name": "x"}, "chat_instance": "ci",
            "data": data, "message": {"message_id": 1, "date": 1, "chat": {"id": chat, "type": "private"},
                                      "text": "-"}}
