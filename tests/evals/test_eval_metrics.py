from __future__ import annotations

import math

import pytest
from eval_fakes import FakeService, cite, make_answer

from evals.gold import GoldCase
from evals.metrics import (
    aggregate,
    aggregate_by_tag,
    citation_recall,
    fabricated_citations,
    first_hit_rank,
    missing_mentions,
    percentile,
    score_case,
)
from rag.types import Citation

KE4 = "SKB 2/2022 Lampiran Kode Etik angka 4"
D6 = "SKB 2/2022 Lampiran Disiplin angka 6"
N4 = "PP 94/2021 Pasal 5 huruf n angka 4"
P14 = "PP 94/2021 Pasal 14 huruf i angka 2"

LIKE = GoldCase(
    id="like",
    question="Bolehkah ASN like postingan capres?",
    verdicts=("dilarang",),
    must_cite=((KE4, D6),),
    answer_must_mention=(("sanksi moral", "hukuman disiplin"),),
    tags=("medsos",),
)
CAR = GoldCase(
    id="car",
    question="Mobil dinas untuk kampanye?",
    verdicts=("dilarang",),
    must_cite=((N4,), ("PP 94/2021 Pasal 14",)),
    answer_must_mention=(("berat",),),
    tags=("kampanye",),
)
POEM = GoldCase(id="poem", question="Buatkan puisi", verdicts=("di_luar_cakupan",), tags=("di-luar-cakupan",))

lookup = FakeService().unit


def test_citation_recall_uses_label_prefix_semantics() -> None:
    assert citation_recall([["PP 94/2021 Pasal 5"]], [N4]) == (1, 1)
    assert citation_recall([["PP 94/2021 Pasal 5"]], ["PP 94/2021 Pasal 50"]) == (0, 1)
    assert citation_recall([[N4], ["UU 7/2017 Pasal 494"]], [N4]) == (1, 2)
    assert citation_recall([], []) == (0, 0)


def test_missing_mentions_is_case_insensitive_and_whitespace_tolerant() -> None:
    text = "Bisa dikenai SANKSI  moral\natau hukuman disiplin berat."
    assert missing_mentions([["sanksi moral"], ["berat", "PTDH"]], text) == []
    assert missing_mentions([["kurungan"]], text) == [("kurungan",)]


def test_correct_answer_passes() -> None:
    answer = make_answer(
        LIKE.question, "dilarang", "Dilarang; sanksi moral atau hukuman disiplin berat.", cites=(KE4,)
    )
    s = score_case(LIKE, answer, lookup, latency_s=0.1)
    assert s.passed and s.verdict_ok and s.recall == 1.0 and s.mentions_ok and s.fabricated == ()
    assert s.latency_s == 0.1


def test_failures_are_itemised() -> None:
    answer = make_answer(CAR.question, "boleh", "Boleh saja.", cites=(N4,))
    s = score_case(CAR, answer, lookup)
    assert not s.passed
    assert s.recall == 0.5
    assert s.failures == (
        "verdict boleh not in dilarang",
        "missing citation: one of PP 94/2021 Pasal 14",
        "missing mention: one of berat",
    )


def test_fabricated_label_is_detected() -> None:
    fake = Citation(
        label="PP 94/2021 Pasal 99", document="PP 94/2021", title="t", status="berlaku", kind="wording",
        quote="apa saja", summary="",
    )  # fmt: skip
    found = fabricated_citations([cite(N4), fake], lookup)
    assert [(f.label, f.reason) for f in found] == [("PP 94/2021 Pasal 99", "label is not an indexed unit")]


def test_fabricated_quote_and_summary_are_detected() -> None:
    real = cite(N4)
    bad_quote = Citation(
        **{**real.__dict__, "quote": "sebagai peserta kampanye dengan menggunakan mobil pribadi"}
    )
    bad_summary = Citation(**{**cite(KE4).__dict__, "summary": "Dilarang makan siang bersama calon."})
    reflowed = Citation(**{**real.__dict__, "quote": "sebagai peserta\n   kampanye dengan menggunakan"})
    wrong_doc = Citation(**{**real.__dict__, "document": "PP 53/2010"})
    found = fabricated_citations([bad_quote, bad_summary, reflowed, wrong_doc], lookup)
    assert [f.reason for f in found] == [
        "quote is not in the unit's indexed text",
        "summary is not in the unit's indexed text",
        "document 'PP 53/2010' is not the unit's ('PP 94/2021')",
    ]
    answer = make_answer(LIKE.question, "dilarang", "sanksi moral", extra_citations=(cite(KE4), bad_quote))
    s = score_case(LIKE, answer, lookup)
    assert not s.passed and len(s.fabricated) == 1
    assert s.failures == (f"fabricated citation {N4}: quote is not in the unit's indexed text",)


def test_first_hit_rank() -> None:
    assert first_hit_rank([[KE4, D6]], [N4, P14, D6, KE4]) == 3
    assert first_hit_rank([[KE4], ["PP 94/2021 Pasal 5"]], [P14, N4]) == 2
    assert first_hit_rank([[KE4]], [N4]) is None
    assert first_hit_rank([], [N4]) is None


def test_percentile_matches_linear_interpolation() -> None:
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5
    assert percentile([5.0], 95) == 5.0
    assert percentile([0.0, 10.0], 95) == pytest.approx(9.5)
    assert math.isnan(percentile([], 50))


def test_aggregate_overall_and_by_tag() -> None:
    scores = [
        # passes; retrieval hit at rank 1
        score_case(LIKE, make_answer(LIKE.question, "dilarang", "sanksi moral", cites=(KE4,), retrieved=(KE4, N4)),
                   lookup, 0.1),
        # wrong verdict, half recall, retrieval hit at rank 2
        score_case(CAR, make_answer(CAR.question, "boleh", "berat", cites=(N4,), retrieved=(KE4, N4)), lookup, 0.3),
        # out of scope, correctly refused
        score_case(POEM, make_answer(POEM.question, "di_luar_cakupan"), lookup, 0.2),
    ]  # fmt: skip
    m = aggregate(scores)
    assert (m.cases, m.passed) == (3, 2)
    assert m.pass_rate == pytest.approx(2 / 3)
    assert m.verdict_accuracy == pytest.approx(2 / 3)
    assert m.citation_recall == pytest.approx((1 + 0.5 + 1) / 3)
    assert m.fabricated == 0 and m.errors == 0
    assert (m.out_of_scope_cases, m.refusal_accuracy) == (1, 1.0)
    assert (m.in_scope_cases, m.false_refusals, m.false_refusal_rate) == (2, 0, 0.0)
    assert m.retrieval_cases == 2
    assert (m.hit_at_1, m.hit_at_3, m.hit_at_5) == (0.5, 1.0, 1.0)
    assert m.mrr == pytest.approx((1 + 0.5) / 2)
    assert m.latency_p50_s == pytest.approx(0.2)
    assert m.latency_max_s == pytest.approx(0.3)

    tags = aggregate_by_tag(scores)
    assert list(tags) == ["di-luar-cakupan", "kampanye", "medsos"]
    assert tags["medsos"].pass_rate == 1.0 and tags["kampanye"].pass_rate == 0.0
    assert tags["medsos"].refusal_accuracy is None and tags["di-luar-cakupan"].hit_at_5 is None


def test_false_refusal_and_missed_refusal_and_errors() -> None:
    refused = score_case(LIKE, make_answer(LIKE.question, "di_luar_cakupan"), lookup)
    answered = score_case(POEM, make_answer(POEM.question, "boleh"), lookup)
    crashed = score_case(CAR, None, lookup, latency_s=5.0, error="RuntimeError: boom")
    m = aggregate([refused, answered, crashed])
    assert m.false_refusals == 1 and m.false_refusal_rate == 0.5
    assert m.refusal_accuracy == 0.0
    assert m.errors == 1 and crashed.failures == ("error: RuntimeError: boom",)
    assert m.latency_max_s is not None and m.latency_max_s < 5.0  # errors do not count as latencies
