"""Issue 10, finding 3: invisible characters never change a verdict (rag/normalize.py).

Property-style: for every gold case, the same question with format characters (zero-width,
bidi controls, BOM, soft hyphen, word joiner) inserted at random positions normalises to the
clean question, and (on a sample, through the real service) gets the same verdict. Seeded, so a
failure reproduces."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from typing import Any

import pytest

from evals.gold import load_gold
from rag.normalize import normalize_text
from rag.settings import Settings
from tests.conftest import ROOT

INVISIBLE = [
    "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d",
    "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\ufeff", "\u00ad", "\u2060", "\u180e",
    "\u0007", "\u034f",
]  # fmt: skip
GOLD = load_gold(ROOT / "evals" / "gold")


def sprinkle(text: str, rng: random.Random, n: int) -> str:
    chars = list(text)
    for _ in range(n):
        chars.insert(rng.randrange(len(chars) + 1), rng.choice(INVISIBLE))
    return "".join(chars)


NORMALIZE_CASES = [
    ("Bolehkah PNS ikut kampanye?\u200b", "Bolehkah PNS ikut kampanye?"),
    ("\ufeffkam\u200dpa\u00adnye", "kampanye"),
    ("\u202eBolehkah\u202c  PNS\u2069", "Bolehkah PNS"),
    ("ＰＮＳ ｉｋｕｔ", "PNS ikut"),  # full-width letters (NFKC)
    ("satu\u00a0dua", "satu dua"),  # no-break space is a space
    ("baris satu\n  baris dua  ", "baris satu\nbaris dua"),
    ("like 👍\ufe0f", "like 👍"),
    ("", ""),
]


@pytest.mark.parametrize(("raw", "expected"), NORMALIZE_CASES)
def test_normalize_text(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected
    assert normalize_text(expected) == expected  # idempotent


def test_every_gold_question_normalises_back_to_itself() -> None:
    rng = random.Random(10)
    for case in GOLD:
        clean = normalize_text(case.question)
        for _ in range(20):
            assert normalize_text(sprinkle(case.question, rng, rng.randint(1, 6))) == clean, case.id


def test_invisible_characters_never_change_a_gold_verdict(service: Any) -> None:
    # The property above covers every gold case (the service answers the normalised text, so
    # equal normal forms mean equal verdicts); through the real service we check a seeded
    # sample, since real answers cost up to a second each on a loaded 2-core machine.
    rng = random.Random(2026)
    changed = []
    for case in rng.sample(GOLD, 12):
        dirty = sprinkle(case.question, rng, rng.randint(2, 6))
        before, after = service.answer(case.question).verdict, service.answer(dirty).verdict
        if before != after:
            changed.append((case.id, before, after))
    assert changed == []


def test_cli_verdict_with_invisible_characters(full_settings: Settings) -> None:
    question = "Bolehkah PNS ikut kampanye calon bupati?"
    variants = [question] + [
        question + ch for ch in ("\u200b", "\ufeff", "\u200e", "\u200f", "\u202c", "\u202e", "\u2069")
    ]
    variants.append("Bolehkah PNS ikut kam\u200dpa\u200dnye ca\u200dlon bu\u200dpati?")
    env = {**os.environ, "NETRAL_DATA_DIR": str(full_settings.data_dir)}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    proc = subprocess.run(
        [sys.executable, "-m", "netral", "ask", "--json", "--batch", "-"],
        cwd=ROOT,
        env=env,
        input="\n".join(variants) + "\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    verdicts = [json.loads(line)["verdict"] for line in proc.stdout.splitlines()]
    # Invisible characters never change the verdict: every variant gets the clean question's.
    assert len(verdicts) == len(variants) and verdicts[0] in ("dilarang", "tidak_jelas")
    assert verdicts == [verdicts[0]] * len(variants)
