"""Digests, not floods: what a scheduled check found, told to each person as few messages as will do.

The checks (``notifications.checks``) build one row per item and recipient, as before; ``fold`` turns a
run's rows into what is queued:

1. one person's rows of one kind (45 contracts behind target, 4 tickets past their SLA) become ONE row,
   ``digest.list``: the kind, how many, the first ``top`` items' params (``notifications.templates`` renders
   the list, "……还有 M 条" and buttons for the first items). A kind found once stays its own message.
2. a per-person daily cap: a person who already has ``sent_today`` non-urgent pushes today gets at most
   ``daily_cap`` in all; the rest of this run goes into one ``digest.more`` row ("还有 N 条提醒"). When the cap
   was already reached, that row waits until ``hold_until`` (the next morning). Urgent rows (SLA breaches)
   are grouped but never capped or held: somebody must act on them now.
3. exactly once: every item keeps its own row and ``dedup_key``, written with status ``folded`` and the
   digest's key in ``last_error``, in the same ``enqueue_many`` as the digest. The caller drops the items
   whose keys are already in the outbox before folding, so an item is told once, in a message or a
   digest; a digest's own key is made from its items' keys, so two runs folding the same new items at
   once queue one digest.

Quiet hours are the worker's: non-urgent rows queued at night wait until they end (``WorkerSettings``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from core.outbox import Category, OutboxMessage, OutboxStatus

LIST_KIND = "digest.list"
MORE_KIND = "digest.more"


@dataclass(frozen=True)
class DigestSettings:
    top: int = 5                        # items listed in a digest; the rest are "……还有 M 条"
    daily_cap: int | None = 8           # non-urgent pushes a person gets a day; None: no cap


@dataclass
class Folded:
    """What to queue: ``rows`` are delivered, ``folded`` are the items told inside them (status folded)."""

    rows: list[OutboxMessage] = field(default_factory=list)
    folded: list[OutboxMessage] = field(default_factory=list)

    @property
    def all(self) -> list[OutboxMessage]:
        return [*self.rows, *self.folded]


def _key(prefix: str, parts: Sequence[str], day: str, user_id: int) -> str:
    digest = hashlib.sha1("\n".join(sorted(parts)).encode()).hexdigest()[:16]
    return f"{prefix}:{day}:{digest}:u{user_id}"


def _fold_into(items: Sequence[OutboxMessage], digest: OutboxMessage) -> list[OutboxMessage]:
    return [replace(m, status=OutboxStatus.FOLDED, last_error=f"in digest {digest.dedup_key}"[:2000])
            for m in items]


def _list_row(kind: str, items: Sequence[OutboxMessage], user_id: int, day: str, top: int,
              at: datetime) -> OutboxMessage:
    first = items[0]
    return OutboxMessage(
        dedup_key=_key(f"{LIST_KIND}:{kind}", [m.dedup_key for m in items], day, user_id)[:200],
        kind=LIST_KIND, category=first.category, user_id=user_id, urgent=any(m.urgent for m in items),
        created_at=at, params={"of": kind, "n": len(items), "items": [dict(m.params) for m in items[:top]]})


def _more_row(items: Sequence[OutboxMessage], user_id: int, day: str, top: int, at: datetime,
              hold_until: datetime | None) -> OutboxMessage:
    entries = [[m.kind, dict(m.params)] for m in items]
    total = sum(int(m.params.get("n", 1)) if m.kind == LIST_KIND else 1 for m in items)
    return OutboxMessage(
        dedup_key=_key(MORE_KIND, [m.dedup_key for m in items], day, user_id)[:200], kind=MORE_KIND,
        category=Category.DIGEST, user_id=user_id, urgent=False, created_at=at, next_attempt_at=hold_until,
        params={"date": day, "n": total, "items": entries[:top], "messages": len(items)})


def fold(messages: Sequence[OutboxMessage], *, now: datetime, day: str, sent_today: Mapping[int, int],
         settings: DigestSettings, hold_until: datetime | None) -> Folded:
    """The rows to queue for ``messages`` (new items only: drop those already in the outbox first)."""
    out = Folded()
    per_user: dict[int, dict[str, list[OutboxMessage]]] = {}
    for message in messages:
        if message.user_id is None:            # an explicit chat (a reply): nothing to group with
            out.rows.append(message)
            continue
        per_user.setdefault(message.user_id, {}).setdefault(message.kind, []).append(message)
    for user_id in sorted(per_user):
        grouped: list[OutboxMessage] = []
        for kind, items in per_user[user_id].items():
            if len(items) == 1:
                grouped.append(items[0])
                continue
            digest = _list_row(kind, items, user_id, day, settings.top, now)
            grouped.append(digest)
            out.folded += _fold_into(items, digest)
        urgent = [m for m in grouped if m.urgent]
        calm = [m for m in grouped if not m.urgent]
        out.rows += urgent
        cap = settings.daily_cap
        room = None if cap is None else cap - sent_today.get(user_id, 0)
        if room is None or len(calm) <= room:
            out.rows += calm
            continue
        kept = calm[:max(room - 1, 0)]
        rest = calm[len(kept):]
        more = _more_row(rest, user_id, day, settings.top, now, hold_until if room <= 0 else None)
        out.rows += [*kept, more]
        out.folded += _fold_into(rest, more)
    return out
