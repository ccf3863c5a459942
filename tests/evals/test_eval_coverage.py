"""Behaviour coverage, verdict confusion matrix and the abstain field, with fakes."""

from __future__ import annotations

import json

import pytest
from eval_fakes import FakeCatalogueService, FakeService, make_answer

from evals.gold import GoldCase, parse_case
from evals.metrics import confusion_matrix, uncovered_behaviours
from evals.report import gold_vs_answered, render_html
from evals.runner import catalogue_ids, run_eval, run_perturb

LIKE = GoldCase(id="like", question="like capres?", verdicts=("dilarang",))
RALLY = GoldCase(id="rally", question="hadir kampanye?", verdicts=("tidak_jelas", "dilarang"))
BET = GoldCase(id="bet", question="taruhan pilkada?", verdicts=("tidak_jelas", "informasi"), abstain=True)


def _service() -> FakeCatalogueService:
    return FakeCatalogueService(
        ("CS-1", "CS-29", "PR-1"),
        {
            LIKE.question: make_answer(LIKE.question, "boleh", behaviours=("CS-29",)),
            RALLY.question: make_answer(RALLY.question, "dilarang", behaviours=("CS-1", "CS-29")),
            BET.question: make_answer(BET.question, "tidak_jelas", abstained=False, behaviours=("CS-1",)),
        },
    )


def test_uncovered_behaviours() -> None:
    result = run_eval(_service(), [LIKE, RALLY, BET])
    assert result.catalogue == ("CS-1", "CS-29", "PR-1")
    assert uncovered_behaviours(result.catalogue, [r.score for r in result.records]) == ["PR-1"]


def test_catalogue_hook_is_optional() -> None:
    assert catalogue_ids(FakeService()) is None
    assert catalogue_ids(_service()) == ("CS-1", "CS-29", "PR-1")


def test_confusion_matrix_counts() -> None:
    pairs = [("dilarang", "boleh"), ("dilarang", "dilarang"), ("dilarang", "dilarang"), ("boleh", None)]
    assert confusion_matrix(pairs) == {"dilarang": {"boleh": 1, "dilarang": 2}, "boleh": {"error": 1}}


def test_report_shows_matrix_coverage_and_perturb() -> None:
    service = _service()
    result = run_eval(service, [LIKE, RALLY, BET])
    assert gold_vs_answered(result) == [
        ("dilarang", "boleh"),
        ("tidak_jelas", "dilarang"),
        ("tidak_jelas", "tidak_jelas"),
    ]
    from dataclasses import replace

    html = render_html(replace(result, perturb=run_perturb(service, result.records, 2, 0)))
    assert "Verdict confusion matrix" in html
    assert '<td class="num bad">1</td>' in html  # dilarang answered boleh is flagged
    assert "2 of 3 catalogue behaviours" in html and "<code>PR-1</code>" in html
    assert "Noisy variants (--perturb 2, seed 0)" in html
    data = result.to_json_dict()
    cases = {c["id"]: c for c in data["cases"]}  # type: ignore[union-attr,index]
    assert cases["rally"]["behaviours"] == ["CS-1", "CS-29"]
    json.dumps(data)


def test_report_without_catalogue() -> None:
    html = render_html(run_eval(FakeService(), [LIKE]))
    assert "no <code>behaviour_ids()</code>" in html


def test_abstain_case_needs_an_abstention() -> None:
    result = run_eval(_service(), [BET])
    score = result.records[0].score
    assert score.verdict_ok and not score.passed
    assert "abstention" in score.failures[0]
    assert result.overall.abstain_cases == 1 and result.overall.abstain_accuracy == 0.0
    ok = FakeService({BET.question: make_answer(BET.question, "informasi", abstained=True)})
    good = run_eval(ok, [BET])
    assert good.records[0].passed and good.overall.abstain_accuracy == 1.0


def test_false_abstention_counted() -> None:
    service = FakeService({LIKE.question: make_answer(LIKE.question, "dilarang", abstained=True)})
    assert run_eval(service, [LIKE]).overall.false_abstentions == 1


BASE = {"id": "x", "question": "q?", "verdict": ["tidak_jelas", "informasi"], "must_cite": []}


def test_abstain_field_parses_and_round_trips() -> None:
    case = parse_case({**BASE, "abstain": True})
    assert case.abstain
    assert case.to_json_dict()["abstain"] is True
    assert not parse_case(BASE).abstain


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({**BASE, "abstain": "yes"}, "abstain must be true or false"),
        ({**BASE, "verdict": "dilarang", "abstain": True}, "only tidak_jelas/informasi"),
        ({**BASE, "verdict": ["tidak_jelas", "boleh"], "abstain": True}, "not boleh"),
    ],
)
def test_abstain_field_rejected(data: dict[str, object], reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_case(data)
