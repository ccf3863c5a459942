"""Every inline button's callback data, encoded and decoded in one place (Telegram allows 64 bytes).

* ``ex:<i>``: an example question from /start.
* ``u:<label>`` / ``U:<label>`` (English): "📜 Lihat pasal" with the label itself, which survives
  restarts; ``k:<key>`` / ``K:<key>`` when the label does not fit (a key into the bot's LRU).
* ``d:<answer id>``: "Selengkapnya", every source with its full quote and the notes of one answer.
* ``f:<1|0>:<verdict name>:<answer id><mac>``: 👍/👎. The verdict travels **by name**, so
  reordering ``rag.types.Verdict`` never changes what an old button means. Buttons made before
  that carried the verdict's index (``f:1:0:…``); they still decode through
  :data:`LEGACY_VERDICT_ORDER`, a frozen copy of the order they were made with.

The MAC (a short keyed hash from the store) covers the verdict and the answer id, so made-up data
can neither add votes nor pick the verdict it votes on.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from rag.types import VERDICTS

MAX_BYTES = 64
ANSWER_ID_CHARS = 12  # hex digits of an answer id; a feedback button's MAC follows it
MAC_CHARS = 8
# The Verdict literal's order when feedback buttons carried an index. Never edit: it decodes
# buttons already sitting in users' chats.
LEGACY_VERDICT_ORDER: tuple[str, ...] = (
    "dilarang",
    "boleh",
    "bersyarat",
    "tidak_jelas",
    "informasi",
    "di_luar_cakupan",
)

# Handler patterns (bot/app.py): what each handler is given; anything else is "expired".
EXAMPLE_PATTERN = r"^ex:\d+$"
UNIT_PATTERN = r"^[uUkK]:."
DETAIL_PATTERN = r"^d:[0-9a-f]+$"
FEEDBACK_PATTERN = r"^f:[01]:\w+:\w+$"

Lang = Literal["id", "en"]
Sign = Callable[[str], str]


@dataclass(frozen=True)
class Example:
    index: int


@dataclass(frozen=True)
class UnitView:
    lang: Lang
    label: str | None = None  # the label itself ...
    key: str | None = None  # ... or a key into the bot's long-label LRU


@dataclass(frozen=True)
class Detail:
    answer_id: str


@dataclass(frozen=True)
class Feedback:
    vote: int  # 1 or -1
    verdict: str
    answer_id: str
    mac: str
    signed: str  # the text the MAC was made over

    def valid(self, sign: Sign) -> bool:
        return hmac.compare_digest(self.mac, sign(self.signed))


Button = Example | UnitView | Detail | Feedback


def example(index: int) -> str:
    return f"ex:{index}"


def unit(label: str, lang: Lang) -> str | None:
    """The label's own button data, or None when it does not fit (use :func:`unit_key`)."""
    data = f"{'U' if lang == 'en' else 'u'}:{label}"
    return data if len(data.encode("utf-8")) <= MAX_BYTES else None


def unit_key(key: str, lang: Lang) -> str:
    return f"{'K' if lang == 'en' else 'k'}:{key}"


def detail(answer_id: str) -> str:
    return f"d:{answer_id}"


def feedback(vote: int, verdict: str, answer_id: str, sign: Sign) -> str:
    if verdict not in VERDICTS:
        raise ValueError(f"unknown verdict {verdict!r}")
    mac = sign(_signed(verdict, answer_id))
    return f"f:{1 if vote > 0 else 0}:{verdict}:{answer_id}{mac}"


def _signed(verdict_field: str, answer_id: str) -> str:
    return f"{verdict_field}:{answer_id}"


def decode(data: str | None) -> Button | None:
    """The button ``data`` stands for, or None for data we never made (forged, or too old)."""
    if not data or len(data.encode("utf-8")) > MAX_BYTES or ":" not in data:
        return None
    kind, rest = data.split(":", 1)
    if kind == "ex":
        return Example(int(rest)) if rest.isdigit() else None
    if kind in {"u", "U", "k", "K"} and rest:
        lang: Lang = "en" if kind in {"U", "K"} else "id"
        return UnitView(lang, label=rest) if kind in {"u", "U"} else UnitView(lang, key=rest)
    if kind == "d":
        return Detail(rest) if rest and all(c in "0123456789abcdef" for c in rest) else None
    if kind == "f":
        parts = rest.split(":")
        if len(parts) != 3 or parts[0] not in {"0", "1"} or len(parts[2]) <= ANSWER_ID_CHARS:
            return None
        vote, field, key = parts
        if field.isdigit():  # a button made while the verdict travelled by its index
            index = int(field)
            if index >= len(LEGACY_VERDICT_ORDER):
                return None
            verdict = LEGACY_VERDICT_ORDER[index]
        elif field in VERDICTS:
            verdict = field
        else:
            return None
        answer_id, mac = key[:ANSWER_ID_CHARS], key[ANSWER_ID_CHARS:]
        return Feedback(1 if vote == "1" else -1, verdict, answer_id, mac, _signed(field, answer_id))
    return None
