"""The verdict rules (rag/decide.py) as a table: evidence in, verdict and rule out. No index."""

from __future__ import annotations

from dataclasses import replace

import pytest

from rag.decide import Candidate, Evidence, Thresholds, decide

T = Thresholds(
    match=0.45,
    situational_bonus=0.08,
    boleh_margin=0.1,
    boleh_min=0.55,
    long_question=10,
    match_long=0.4,
    story_question=15,
    match_story=0.37,
)  # the table pins its own values


def c(
    id: str,
    verdict: str,
    score: float,
    situational: bool = False,
    named: bool = False,
    general: tuple[str, ...] = (),
    words: tuple[str, ...] = (),
) -> Candidate:
    return Candidate(id, verdict, score, situational, named, general, words or (("x",) if named else ()))  # type: ignore[arg-type]


LIKE = c("like", "dilarang", 0.8)


def retiree_met(score: float) -> Candidate:
    """A named group's entry (retirees) whose condition the question says is met."""
    return Candidate("retiree", "bersyarat", score, True, True, (), ("purnabakti",), True, condition_met=True)


MEDSOS = c("medsos-umum", "boleh", 0.6)
SPOUSE = c("spouse-attend", "bersyarat", 0.7, situational=True)
ATTEND = c("attend", "tidak_jelas", 0.72)
REPORT = c("report", "informasi", 0.7)
MET = replace(c("retired", "bersyarat", 0.7), condition_met=True)
UNMET = replace(c("retired", "bersyarat", 0.6), condition_unmet=True)

# (name, evidence, expected verdict, expected rule, expected deciding ids, abstained)
CASES = [
    (
        "a weak boleh is not enough",
        Evidence((c("b", "boleh", 0.5), c("d", "dilarang", 0.2))),
        "tidak_jelas",
        "weak-boleh",
        ("b", "d"),
        False,
    ),
    (
        "a weak boleh with no rival",
        Evidence((c("b", "boleh", 0.54),)),
        "tidak_jelas",
        "weak-boleh",
        ("b",),
        False,
    ),
    ("a boleh at boleh_min", Evidence((c("b", "boleh", 0.55),)), "boleh", "best-match", ("b",), False),
    ("out of scope", Evidence((LIKE,), in_scope=False), "di_luar_cakupan", "out-of-scope", (), False),
    (
        "out of scope wins over a match",
        Evidence((c("x", "dilarang", 0.99),), in_scope=False),
        "di_luar_cakupan",
        "out-of-scope",
        (),
        False,
    ),
    (
        "explicit article, no permission asked",
        Evidence((LIKE,), explicit_reference=True),
        "informasi",
        "explicit",
        (),
        False,
    ),
    (
        "explicit article but 'may I'",
        Evidence((LIKE,), explicit_reference=True, permission=True),
        "dilarang",
        "best-match",
        ("like",),
        False,
    ),
    ("best prohibition decides", Evidence((LIKE, MEDSOS)), "dilarang", "best-match", ("like",), False),
    (
        "order of candidates does not matter",
        Evidence((MEDSOS, LIKE)),
        "dilarang",
        "best-match",
        ("like",),
        False,
    ),
    (
        "boleh far ahead of any prohibition",
        Evidence((c("vote", "boleh", 0.9), c("x", "dilarang", 0.5))),
        "boleh",
        "best-match",
        ("vote",),
        False,
    ),
    (
        "boleh with a prohibition just behind",
        Evidence((c("b", "boleh", 0.7), c("d", "dilarang", 0.65))),
        "tidak_jelas",
        "asymmetric-risk",
        ("b", "d"),
        False,
    ),
    (
        "boleh with a prohibition exactly at the margin",
        Evidence((c("b", "boleh", 0.7), c("d", "dilarang", 0.6))),
        "tidak_jelas",
        "asymmetric-risk",
        ("b", "d"),
        False,
    ),
    (
        "boleh with a prohibition beyond the margin",
        Evidence((c("b", "boleh", 0.7), c("d", "dilarang", 0.59))),
        "boleh",
        "best-match",
        ("b",),
        False,
    ),
    (
        "boleh with a disputed point just behind",
        Evidence((c("b", "boleh", 0.7), c("u", "tidak_jelas", 0.66))),
        "tidak_jelas",
        "asymmetric-risk",
        ("b", "u"),
        False,
    ),
    (
        "boleh with a conditional just behind stays boleh",
        Evidence((c("b", "boleh", 0.7), c("s", "bersyarat", 0.68))),
        "boleh",
        "best-match",
        ("b",),
        False,
    ),
    (
        "boleh, boleh, then a close prohibition",
        Evidence((c("b1", "boleh", 0.7), c("b2", "boleh", 0.69), c("d", "dilarang", 0.62))),
        "tidak_jelas",
        "asymmetric-risk",
        ("b1", "d"),
        False,
    ),
    (
        "dilarang with a boleh just behind stays dilarang",
        Evidence((c("d", "dilarang", 0.7), c("b", "boleh", 0.69))),
        "dilarang",
        "best-match",
        ("d",),
        False,
    ),
    (
        "conditional decides",
        Evidence((c("s", "bersyarat", 0.8), c("d", "dilarang", 0.5))),
        "bersyarat",
        "best-match",
        ("s",),
        False,
    ),
    (
        "disputed point decides",
        Evidence((ATTEND, c("x", "dilarang", 0.5))),
        "tidak_jelas",
        "best-match",
        ("attend",),
        False,
    ),
    (
        "nothing matches: abstain",
        Evidence((c("x", "dilarang", 0.3),), permission=True),
        "tidak_jelas",
        "abstain",
        (),
        True,
    ),
    (
        "not a 'may I' question, nothing matches: units",
        Evidence((c("x", "dilarang", 0.3),)),
        "informasi",
        "factual",
        (),
        False,
    ),
    (
        "factual sanction question about a known act",
        Evidence((LIKE,), factual=True, asks_sanction=True),
        "dilarang",
        "sanction-of-act",
        ("like",),
        False,
    ),
    ("no candidates at all: abstain", Evidence((), permission=True), "tidak_jelas", "abstain", (), True),
    (
        "a long question (a story before it) needs less: decide",
        Evidence((c("x", "dilarang", 0.42),), permission=True, words=10),
        "dilarang",
        "best-match",
        ("x",),
        False,
    ),
    (
        "a long question below its own threshold: abstain",
        Evidence((c("x", "dilarang", 0.399),), permission=True, words=14),
        "tidak_jelas",
        "abstain",
        (),
        True,
    ),
    (
        "a 'may I' story (story_question words) needs less still: decide",
        Evidence((c("x", "dilarang", 0.38),), permission=True, words=15),
        "dilarang",
        "best-match",
        ("x",),
        False,
    ),
    (
        "a story one word short of story_question: the long threshold, abstain",
        Evidence((c("x", "dilarang", 0.38),), permission=True, words=14),
        "tidak_jelas",
        "abstain",
        (),
        True,
    ),
    (
        "a story that asks no 'may I': the long threshold, answered from the units",
        Evidence((c("x", "dilarang", 0.38),), words=20),
        "informasi",
        "factual",
        (),
        False,
    ),
    (
        "a short question at the long threshold: abstain",
        Evidence((c("x", "dilarang", 0.42),), permission=True, words=9),
        "tidak_jelas",
        "abstain",
        (),
        True,
    ),
    (
        "a long sanction question about an act that matches at the long threshold: that act",
        Evidence(
            (c("x", "dilarang", 0.41), c("i", "informasi", 0.3)), factual=True, asks_sanction=True, words=11
        ),
        "dilarang",
        "sanction-of-act",
        ("x",),
        False,
    ),
    (
        "just below the threshold: abstain",
        Evidence((c("x", "dilarang", 0.449),), permission=True),
        "tidak_jelas",
        "abstain",
        (),
        True,
    ),
    (
        "at the threshold: decide",
        Evidence((c("x", "dilarang", 0.45),)),
        "dilarang",
        "best-match",
        ("x",),
        False,
    ),
    (
        "a boleh below threshold is never borrowed",
        Evidence((c("b", "boleh", 0.44),), permission=True),
        "tidak_jelas",
        "abstain",
        (),
        True,
    ),
    (
        "sanction question, nothing matches: the units answer",
        Evidence((c("x", "dilarang", 0.2),), asks_sanction=True),
        "informasi",
        "factual",
        (),
        False,
    ),
    (
        "'may I' plus a sanction question, nothing matches: abstain",
        Evidence((c("x", "dilarang", 0.2),), asks_sanction=True, permission=True),
        "tidak_jelas",
        "abstain",
        (),
        True,
    ),
    (
        "sanction question about a matched act: its verdict",
        Evidence((LIKE,), asks_sanction=True),
        "dilarang",
        "best-match",
        ("like",),
        False,
    ),
    (
        "situational entry, situation not named: skipped",
        Evidence((SPOUSE, ATTEND)),
        "tidak_jelas",
        "best-match",
        ("attend",),
        False,
    ),
    (
        "situational entry, situation named: wins within the bonus",
        Evidence((c("spouse-attend", "bersyarat", 0.7, True, True), ATTEND)),
        "bersyarat",
        "best-match",
        ("spouse-attend",),
        False,
    ),
    (
        "situational entry named but far behind: general wins",
        Evidence((c("spouse-attend", "bersyarat", 0.5, True, True), c("attend", "tidak_jelas", 0.8))),
        "tidak_jelas",
        "best-match",
        ("attend",),
        False,
    ),
    (
        "only a situational entry, not named: abstain",
        Evidence((SPOUSE,), permission=True),
        "tidak_jelas",
        "abstain",
        (),
        True,
    ),
    (
        "situational below threshold: the bonus beats rivals, it does not lift a weak match",
        Evidence((c("incumbent", "tidak_jelas", 0.4, True, True),), permission=True),
        "tidak_jelas",
        "abstain",
        (),
        True,
    ),
    (
        "exception beats the rule it narrows within the bonus",
        Evidence((c("holiday", "tidak_jelas", 0.66, True, True, ("attend",)), c("attend", "dilarang", 0.7))),
        "tidak_jelas",
        "best-match",
        ("holiday",),
        False,
    ),
    (
        "exception gains nothing over a rule it does not narrow (kades entry vs running for kades)",
        Evidence(
            (
                c("kades-decision", "dilarang", 0.93, True, True, ("official-decision",)),
                c("run-pilkades", "bersyarat", 1.0),
            )
        ),
        "bersyarat",
        "best-match",
        ("run-pilkades",),
        False,
    ),
    (
        "an exception of an exception needs a situation of its own",
        Evidence(
            (
                c("spouse-attributes", "dilarang", 0.9, True, True, ("spouse-attend",), ("suami",)),
                c("spouse-attend", "bersyarat", 0.92, True, True, (), ("suami",)),
            )
        ),
        "bersyarat",
        "best-match",
        ("spouse-attend",),
        False,
    ),
    (
        "an exception of an exception that names its own situation wins",
        Evidence(
            (
                c(
                    "spouse-no-leave",
                    "dilarang",
                    0.84,
                    True,
                    True,
                    ("spouse-attend",),
                    ("istri", "tanpa cuti"),
                ),
                c("spouse-attend", "bersyarat", 0.88, True, True, (), ("istri",)),
            )
        ),
        "dilarang",
        "best-match",
        ("spouse-no-leave",),
        False,
    ),
    (
        "an exception naming no general rule does not beat another exception",
        Evidence(
            (
                c("spouse-attend", "bersyarat", 0.6, True, True),
                c("spouse-speak", "dilarang", 0.62, True, True, ("speak",)),
                c("speak", "dilarang", 0.5),
            )
        ),
        "dilarang",
        "best-match",
        ("spouse-speak",),
        False,
    ),
    (
        "named situational boleh with close general prohibition: tidak_jelas",
        Evidence((c("duty", "boleh", 0.7, True, True), c("attend-ban", "dilarang", 0.72))),
        "tidak_jelas",
        "asymmetric-risk",
        ("duty", "attend-ban"),
        False,
    ),
    (
        "factual question grounded on an informasi entry",
        Evidence((REPORT, LIKE), factual=True),
        "informasi",
        "factual",
        ("report",),
        False,
    ),
    (
        "factual question never takes a conduct verdict",
        Evidence((LIKE,), factual=True),
        "informasi",
        "factual",
        (),
        False,
    ),
    (
        "where-to-report question: the clearly better 'reporting is allowed' entry grounds it",
        Evidence((c("may-report", "boleh", 0.7), c("nik", "informasi", 0.51)), factual=True, words=10),
        "informasi",
        "factual",
        ("may-report",),
        False,
    ),
    (
        "a boleh entry within factual_margin of the informasi entry does not displace it",
        Evidence((c("may-report", "boleh", 0.72), REPORT), factual=True),
        "informasi",
        "factual",
        ("report",),
        False,
    ),
    (
        "factual question, informasi entry too weak: units",
        Evidence((c("report", "informasi", 0.3),), factual=True),
        "informasi",
        "factual",
        (),
        False,
    ),
    (
        "factual question about a named group takes that group's entry",
        Evidence((c("honorer", "dilarang", 0.8, situational=True, named=True), REPORT), factual=True),
        "dilarang",
        "group-named",
        ("honorer",),
        False,
    ),
    (
        "a group's entry gets no situational bonus over an act's rule",
        Evidence(
            (
                c("party-ban", "dilarang", 0.59),
                Candidate("pppk", "informasi", 0.56, True, True, (), ("pppk",), True),
            )
        ),
        "dilarang",
        "best-match",
        ("party-ban",),
        False,
    ),
    (
        "a group's entry whose condition the question says is met narrows the act's rule like an exception",
        Evidence(
            (
                c("hub", "bersyarat", 0.45),
                retiree_met(0.43),
            )
        ),
        "bersyarat",
        "best-match",
        ("retiree",),
        False,
    ),
    (
        "... and once it matches clearly, the met condition makes it boleh",
        Evidence(
            (
                c("timses", "dilarang", 0.6),
                retiree_met(0.58),
            )
        ),
        "boleh",
        "condition-met",
        ("retiree",),
        False,
    ),
    (
        "a named group's entry must beat the informasi entry clearly",
        Evidence((c("honorer", "dilarang", 0.72, situational=True, named=True), REPORT), factual=True),
        "informasi",
        "factual",
        ("report",),
        False,
    ),
    (
        "a group entry whose group is not named does not answer a factual question",
        Evidence((c("honorer", "dilarang", 0.8, situational=True), LIKE), factual=True),
        "informasi",
        "factual",
        (),
        False,
    ),
    (
        "informasi entry best for a conduct question",
        Evidence((REPORT,)),
        "informasi",
        "best-match",
        ("report",),
        False,
    ),
    (
        "a conditional entry whose condition the question says is met: boleh",
        Evidence((MET, c("timses", "dilarang", 0.6))),
        "boleh",
        "condition-met",
        ("retired",),
        False,
    ),
    (
        "condition met but a weak match: the condition is not read into it",
        Evidence((replace(MET, score=0.5), c("timses", "dilarang", 0.3))),
        "bersyarat",
        "best-match",
        ("retired",),
        False,
    ),
    (
        "a conditional entry whose condition the question says is not met yet: dilarang",
        Evidence((UNMET, c("timses", "dilarang", 0.4))),
        "dilarang",
        "condition-unmet",
        ("retired",),
        False,
    ),
    (
        "condition not met yet, even on a weak match above the threshold: still dilarang",
        Evidence((replace(UNMET, score=0.5),)),
        "dilarang",
        "condition-unmet",
        ("retired",),
        False,
    ),
    (
        "a disputed entry whose requirement the question says is skipped: dilarang",
        Evidence((replace(UNMET, verdict="tidak_jelas"), c("kampanye", "dilarang", 0.4))),
        "dilarang",
        "condition-unmet",
        ("retired",),
        False,
    ),
    (
        "a permitted entry is never turned into dilarang by an unmet flag",
        Evidence((replace(UNMET, verdict="boleh", score=0.7),)),
        "boleh",
        "best-match",
        ("retired",),
        False,
    ),
    (
        "condition not met yet on the second entry only: the best entry's verdict",
        Evidence((c("kampanye", "tidak_jelas", 0.7), UNMET)),
        "tidak_jelas",
        "best-match",
        ("kampanye",),
        False,
    ),
    (
        "condition met on the second entry only: the best entry's verdict",
        Evidence((c("timses", "dilarang", 0.75), MET)),
        "dilarang",
        "best-match",
        ("timses",),
        False,
    ),
    (
        "condition met, yet the act is meant to favour a candidate: breached wins",
        Evidence((MET,), favouring=True),
        "dilarang",
        "condition-breached",
        ("retired",),
        False,
    ),
    (
        "a conditional act done to favour a candidate breaks its condition",
        Evidence((c("bansos", "bersyarat", 0.6), c("decision-ban", "dilarang", 0.4)), favouring=True),
        "dilarang",
        "condition-breached",
        ("bansos",),
        False,
    ),
    (
        "favouring does not turn a boleh into a prohibition by itself",
        Evidence((c("vote", "boleh", 0.9),), favouring=True),
        "boleh",
        "best-match",
        ("vote",),
        False,
    ),
    (
        "ties broken by id, stable",
        Evidence((c("b", "dilarang", 0.7), c("a", "dilarang", 0.7))),
        "dilarang",
        "best-match",
        ("a",),
        False,
    ),
]


@pytest.mark.parametrize(
    ("name", "evidence", "verdict", "rule", "ids", "abstained"), CASES, ids=[x[0] for x in CASES]
)
def test_decision_table(
    name: str, evidence: Evidence, verdict: str, rule: str, ids: tuple[str, ...], abstained: bool
) -> None:
    d = decide(evidence, T)
    assert (d.verdict, d.rule, d.behaviours, d.abstained) == (verdict, rule, ids, abstained)


def test_table_is_large_enough() -> None:
    assert len(CASES) >= 30


def test_never_boleh_when_a_prohibition_is_within_the_margin() -> None:
    # Property over a grid: a best "boleh" answer requires every prohibition to trail by more than the margin.
    for best in (0.5, 0.6, 0.7, 0.8, 0.9):
        for gap in (0.0, 0.02, 0.05, 0.08, 0.1):
            d = decide(Evidence((c("b", "boleh", best), c("d", "dilarang", best - gap))), T)
            assert d.verdict != "boleh", (best, gap)
