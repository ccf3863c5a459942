"""bot/callbacks.py: every button's data round-trips, fits Telegram's 64 bytes, and feedback buttons
carry the verdict by name; buttons made with the old index encoding still decode to the verdict
they were made for."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from bot import callbacks
from rag.types import VERDICTS


def sign(text: str) -> str:
    return hmac.new(b"salt", b"button:" + text.encode(), hashlib.sha256).hexdigest()[:8]


@pytest.mark.parametrize("verdict", VERDICTS)
@pytest.mark.parametrize("vote", [1, 0])
def test_feedback_round_trips_by_name(verdict: str, vote: int) -> None:
    data = callbacks.feedback(vote, verdict, "0123456789ab", sign)
    assert len(data.encode()) <= callbacks.MAX_BYTES
    assert f":{verdict}:" in data  # by name, not by position
    button = callbacks.decode(data)
    assert isinstance(button, callbacks.Feedback)
    assert (button.verdict, button.vote, button.answer_id) == (verdict, 1 if vote else -1, "0123456789ab")
    assert button.valid(sign)
    assert not button.valid(lambda text: "00000000")


@pytest.mark.parametrize(
    ("index", "verdict"),
    list(enumerate(["dilarang", "boleh", "bersyarat", "tidak_jelas", "informasi", "di_luar_cakupan"])),
)
def test_old_index_buttons_still_decode(index: int, verdict: str) -> None:
    # Exactly what bot/handlers.py made before: f:<vote>:<index>:<id><sign(f"{index}:{id}")>.
    answer_id = "abcdefabcdef"
    old = f"f:1:{index}:{answer_id}{sign(f'{index}:{answer_id}')}"
    button = callbacks.decode(old)
    assert isinstance(button, callbacks.Feedback)
    assert button.verdict == verdict and button.valid(sign)


def test_a_verdict_cannot_be_swapped_under_a_valid_mac() -> None:
    data = callbacks.feedback(1, "dilarang", "0123456789ab", sign)
    forged = data.replace(":dilarang:", ":boleh:")
    button = callbacks.decode(forged)
    assert isinstance(button, callbacks.Feedback) and not button.valid(sign)
    legacy = callbacks.decode(f"f:1:1:0123456789ab{sign('0:0123456789ab')}")  # index 1, MAC for 0
    assert isinstance(legacy, callbacks.Feedback) and not legacy.valid(sign)


@pytest.mark.parametrize(
    "data",
    [None, "", "f:1:99:abcdefabcdefdeadbeef", "f:1:nope:abcdefabcdefdeadbeef", "f:2:boleh:x", "ex:x",
     "d:XYZ", "zz:1", "u:", "x" * 65],
)  # fmt: skip
def test_data_we_never_made_decodes_to_none(data: str | None) -> None:
    assert callbacks.decode(data) is None


def test_other_buttons_round_trip() -> None:
    assert callbacks.decode(callbacks.example(2)) == callbacks.Example(2)
    assert callbacks.decode(callbacks.detail("0123456789ab")) == callbacks.Detail("0123456789ab")
    label = "PP 94/2021 Pasal 5 huruf n angka 4"
    data = callbacks.unit(label, "en")
    assert data == f"U:{label}" and callbacks.decode(data) == callbacks.UnitView("en", label=label)
    assert callbacks.unit("x" * 70, "id") is None
    assert callbacks.decode(callbacks.unit_key("k1", "id")) == callbacks.UnitView("id", key="k1")
