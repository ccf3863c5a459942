"""Eval metrics as pure functions: per case (``score_case``) and aggregated (``aggregate``).

Nothing here calls a service or a clock; the runner passes in the answer, a unit lookup and the
measured latency, so every metric is unit-testable on hand-made Answers."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass

from evals.gold import GoldCase
from rag.labels import label_matches
from rag.types import Answer, Citation, Document, Unit

# ``service.unit`` (or any stand-in): the indexed unit with this label, or None.
UnitLookup = Callable[[str], "tuple[Unit, Document] | None"]

RETRIEVAL_KS = (1, 3, 5)
_WS = re.compile(r"\s+")


# ---------------------------------------------------------------- per-case building blocks


def verdict_correct(case: GoldCase, answer: Answer) -> bool:
    return answer.verdict in case.verdicts


def group_satisfied(group: Sequence[str], labels: Sequence[str]) -> bool:
    """A must_cite group is met when any returned label equals one of its labels or is a sub-unit
    of it (``rag.labels.label_matches``: "PP 94/2021 Pasal 5" is met by "... Pasal 5 huruf n")."""
    return any(label_matches(expected, got) for expected in group for got in labels)


def citation_recall(groups: Sequence[Sequence[str]], labels: Sequence[str]) -> tuple[int, int]:
    """(groups satisfied, groups). A case with no groups is (0, 0) and scores recall 1.0."""
    return sum(1 for g in groups if group_satisfied(g, labels)), len(groups)


def recall_value(hit: int, total: int) -> float:
    return 1.0 if total == 0 else hit / total


def _fold(text: str) -> str:
    return _WS.sub(" ", text).casefold().strip()


def missing_mentions(groups: Sequence[Sequence[str]], text: str) -> list[tuple[str, ...]]:
    """The answer_must_mention groups none of whose alternatives occur in ``text``
    (case-insensitive, whitespace-collapsed substring)."""
    folded = _fold(text)
    return [tuple(g) for g in groups if not any(_fold(alt) in folded for alt in g)]


def answer_text(answer: Answer) -> str:
    """Everything the user reads: the main message, its sanctions and caveats, and the text of the
    units and notes it shows (the main message names the key units; their full text is one tap away)."""
    sanctions = [f"{s.level} {s.detail} {' '.join(s.basis)}" for s in answer.sanctions]
    shown = [c.quote or c.summary for c in answer.citations] + [n.text for n in answer.notes]
    return "\n".join([answer.answer, answer.explanation, *sanctions, *answer.caveats, *shown])


@dataclass(frozen=True)
class Fabrication:
    label: str
    reason: str


def fabricated_citations(citations: Iterable[Citation], lookup: UnitLookup) -> list[Fabrication]:
    """Citations that are not backed by the index: the label is not an indexed unit, the document
    label disagrees with the unit's, or the quote/summary is not a substring of the unit's indexed
    text. Whitespace is collapsed on both sides first, because front ends may reflow text; any
    change of words still counts as fabricated."""
    out: list[Fabrication] = []
    for c in citations:
        found = lookup(c.label)
        if found is None:
            out.append(Fabrication(c.label, "label is not an indexed unit"))
            continue
        unit, document = found
        if c.document and _fold(c.document) != _fold(document.label):
            out.append(
                Fabrication(c.label, f"document {c.document!r} is not the unit's ({document.label!r})")
            )
            continue
        indexed = _WS.sub(" ", unit.text).strip()
        for field_name, value in (("quote", c.quote), ("summary", c.summary)):
            text = _WS.sub(" ", value).strip()
            if text and text not in indexed:
                out.append(Fabrication(c.label, f"{field_name} is not in the unit's indexed text"))
                break
    return out


def first_hit_rank(groups: Sequence[Sequence[str]], retrieved: Sequence[str]) -> int | None:
    """1-based rank of the first retrieved unit label matching any label of any group, or None."""
    wanted = [label for group in groups for label in group]
    for rank, got in enumerate(retrieved, start=1):
        if any(label_matches(expected, got) for expected in wanted):
            return rank
    return None


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile (numpy's default), q in [0, 100]; NaN for no values."""
    if not values:
        return math.nan
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100.0
    lo, hi = math.floor(pos), math.ceil(pos)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


# ---------------------------------------------------------------- one case


@dataclass(frozen=True)
class CaseScore:
    case_id: str
    tags: tuple[str, ...]
    out_of_scope: bool  # the gold accepts di_luar_cakupan
    verdict_ok: bool
    refused: bool  # the answer's verdict is di_luar_cakupan
    groups_hit: int
    groups_total: int
    mentions_ok: bool
    fabricated: tuple[Fabrication, ...]
    retrieval_rank: int | None  # None: no hit, or no groups to look for
    has_groups: bool
    latency_s: float
    error: str = ""  # the service raised instead of answering
    failures: tuple[str, ...] = ()
    abstain_expected: bool = False  # the gold marks the case "abstain": true
    abstained: bool = False  # the answer said no specific rule was found (Answer.abstained)
    behaviours: tuple[str, ...] = ()  # ids of the behaviours the answer matched

    @property
    def recall(self) -> float:
        return recall_value(self.groups_hit, self.groups_total)

    @property
    def passed(self) -> bool:
        return not self.failures


def score_case(
    case: GoldCase,
    answer: Answer | None,
    lookup: UnitLookup,
    latency_s: float = 0.0,
    error: str = "",
) -> CaseScore:
    """Score one answer (``None`` when the service raised ``error``)."""
    if answer is None:
        return CaseScore(
            case_id=case.id,
            tags=case.tags,
            out_of_scope=case.out_of_scope,
            verdict_ok=False,
            refused=False,
            groups_hit=0,
            groups_total=len(case.must_cite),
            mentions_ok=not case.answer_must_mention,
            fabricated=(),
            retrieval_rank=None,
            has_groups=bool(case.must_cite),
            latency_s=latency_s,
            error=error or "no answer",
            failures=(f"error: {error or 'no answer'}",),
            abstain_expected=case.abstain,
        )
    # A group names what the answer must point to; a curated note about an instrument whose text we do
    # not have (the SEs, the MK ruling) points to it as a note, never as a citation of law.
    labels = [c.label for c in answer.citations] + [n.label for n in answer.notes]
    hit, total = citation_recall(case.must_cite, labels)
    missing_groups = [g for g in case.must_cite if not group_satisfied(g, labels)]
    missing_words = missing_mentions(case.answer_must_mention, answer_text(answer))
    fabricated = tuple(fabricated_citations(answer.citations, lookup))
    verdict_ok = verdict_correct(case, answer)
    abstained = answer.abstained

    failures: list[str] = []
    if not verdict_ok:
        failures.append(f"verdict {answer.verdict} not in {'/'.join(case.verdicts)}")
    if case.abstain and not abstained:
        failures.append("expected an honest abstention (answer.abstained), got a rule-based answer")
    failures += [f"missing citation: one of {' | '.join(g)}" for g in missing_groups]
    failures += [f"missing mention: one of {' | '.join(g)}" for g in missing_words]
    failures += [f"fabricated citation {f.label}: {f.reason}" for f in fabricated]

    return CaseScore(
        case_id=case.id,
        tags=case.tags,
        out_of_scope=case.out_of_scope,
        verdict_ok=verdict_ok,
        refused=answer.verdict == "di_luar_cakupan",
        groups_hit=hit,
        groups_total=total,
        mentions_ok=not missing_words,
        fabricated=fabricated,
        retrieval_rank=first_hit_rank(case.must_cite, [p.unit.label for p in answer.retrieved]),
        has_groups=bool(case.must_cite),
        latency_s=latency_s,
        failures=tuple(failures),
        abstain_expected=case.abstain,
        abstained=abstained,
        behaviours=tuple(b.id for b in answer.behaviours),
    )


# ---------------------------------------------------------------- aggregates


@dataclass(frozen=True)
class Metrics:
    """Aggregates over a set of cases. Rates are in [0, 1]; ``None`` when nothing to measure
    (e.g. refusal accuracy on a tag without out-of-scope cases)."""

    cases: int
    passed: int
    pass_rate: float
    verdict_accuracy: float
    citation_recall: float  # mean per-case recall; cases without groups count 1.0
    mention_rate: float  # share of cases meeting every answer_must_mention group
    fabricated: int  # fabricated citations (must be 0)
    fabricated_cases: int
    errors: int  # questions on which the service raised
    out_of_scope_cases: int
    refusal_accuracy: float | None  # out-of-scope cases answered di_luar_cakupan
    in_scope_cases: int
    false_refusals: int  # in-scope cases answered di_luar_cakupan
    false_refusal_rate: float | None
    retrieval_cases: int  # cases with must_cite groups (the retrieval metrics' denominator)
    hit_at_1: float | None
    hit_at_3: float | None
    hit_at_5: float | None
    mrr: float | None
    latency_p50_s: float | None
    latency_p95_s: float | None
    latency_max_s: float | None
    abstain_cases: int = 0  # gold cases marked "abstain": true
    abstain_accuracy: float | None = None  # of those, answers that abstained
    false_abstentions: int = 0  # cases not marked abstain whose answer abstained

    def to_json_dict(self) -> dict[str, object]:
        return asdict(self)


def _rate(num: int, den: int) -> float | None:
    return None if den == 0 else num / den


def aggregate(scores: Sequence[CaseScore]) -> Metrics:
    n = len(scores)
    passed = sum(1 for s in scores if s.passed)
    oos = [s for s in scores if s.out_of_scope]
    ins = [s for s in scores if not s.out_of_scope]
    ret = [s for s in scores if s.has_groups]
    ranks = [s.retrieval_rank for s in ret]
    hits = {k: _rate(sum(1 for r in ranks if r is not None and r <= k), len(ret)) for k in RETRIEVAL_KS}
    latencies = [s.latency_s for s in scores if not s.error]
    false_refusals = sum(1 for s in ins if s.refused)
    abst = [s for s in scores if s.abstain_expected]
    return Metrics(
        cases=n,
        passed=passed,
        pass_rate=_rate(passed, n) or 0.0,
        verdict_accuracy=_rate(sum(1 for s in scores if s.verdict_ok), n) or 0.0,
        citation_recall=(sum(s.recall for s in scores) / n) if n else 0.0,
        mention_rate=_rate(sum(1 for s in scores if s.mentions_ok), n) or 0.0,
        fabricated=sum(len(s.fabricated) for s in scores),
        fabricated_cases=sum(1 for s in scores if s.fabricated),
        errors=sum(1 for s in scores if s.error),
        out_of_scope_cases=len(oos),
        refusal_accuracy=_rate(sum(1 for s in oos if s.refused), len(oos)),
        in_scope_cases=len(ins),
        false_refusals=false_refusals,
        false_refusal_rate=_rate(false_refusals, len(ins)),
        retrieval_cases=len(ret),
        hit_at_1=hits[1],
        hit_at_3=hits[3],
        hit_at_5=hits[5],
        mrr=_rate_f(sum(1.0 / r for r in ranks if r is not None), len(ret)),
        latency_p50_s=_nan_none(percentile(latencies, 50)),
        latency_p95_s=_nan_none(percentile(latencies, 95)),
        latency_max_s=max(latencies) if latencies else None,
        abstain_cases=len(abst),
        abstain_accuracy=_rate(sum(1 for s in abst if s.abstained), len(abst)),
        false_abstentions=sum(1 for s in scores if s.abstained and not s.abstain_expected),
    )


def _rate_f(total: float, den: int) -> float | None:
    return None if den == 0 else total / den


def _nan_none(x: float) -> float | None:
    return None if math.isnan(x) else x


def aggregate_by_tag(scores: Sequence[CaseScore]) -> dict[str, Metrics]:
    """Metrics per tag (a case counts under each of its tags; untagged cases under "(none)")."""
    by_tag: dict[str, list[CaseScore]] = {}
    for s in scores:
        for tag in s.tags or ("(none)",):
            by_tag.setdefault(tag, []).append(s)
    return {tag: aggregate(items) for tag, items in sorted(by_tag.items())}


# ---------------------------------------------------------------- noisy variants (--perturb)


@dataclass(frozen=True)
class VariantScore:
    case_id: str
    text: str
    rules: tuple[str, ...]
    clean_verdict: str | None  # the clean question's verdict (None when it raised)
    verdict: str | None  # None when the service raised on the variant
    verdict_ok: bool
    false_boleh: bool
    refused_in_scope: bool


def forbidden_case(case: GoldCase) -> bool:
    """A dilarang-ish case: the gold accepts dilarang and does not accept boleh."""
    return "dilarang" in case.verdicts and "boleh" not in case.verdicts


def score_variant(
    case: GoldCase, text: str, rules: tuple[str, ...], clean_verdict: str | None, verdict: str | None
) -> VariantScore:
    return VariantScore(
        case_id=case.id,
        text=text,
        rules=rules,
        clean_verdict=clean_verdict,
        verdict=verdict,
        verdict_ok=verdict in case.verdicts,
        false_boleh=verdict == "boleh" and forbidden_case(case),
        refused_in_scope=verdict == "di_luar_cakupan" and not case.out_of_scope,
    )


@dataclass(frozen=True)
class PerturbMetrics:
    variants: int
    verdict_accuracy: float | None  # variants whose verdict is one of the gold verdicts
    stability: float | None  # variants with the clean question's verdict
    false_boleh: int  # variants of dilarang-ish cases answered boleh (must be 0)
    false_boleh_cases: int
    refused_in_scope: int  # variants of in-scope cases answered di_luar_cakupan (must be 0)
    errors: int

    def to_json_dict(self) -> dict[str, object]:
        return asdict(self)


def aggregate_variants(scores: Sequence[VariantScore]) -> PerturbMetrics:
    n = len(scores)
    return PerturbMetrics(
        variants=n,
        verdict_accuracy=_rate(sum(1 for s in scores if s.verdict_ok), n),
        stability=_rate(sum(1 for s in scores if s.verdict is not None and s.verdict == s.clean_verdict), n),
        false_boleh=sum(1 for s in scores if s.false_boleh),
        false_boleh_cases=len({s.case_id for s in scores if s.false_boleh}),
        refused_in_scope=sum(1 for s in scores if s.refused_in_scope),
        errors=sum(1 for s in scores if s.verdict is None),
    )


# ---------------------------------------------------------------- coverage and confusion


def uncovered_behaviours(catalogue: Sequence[str], scores: Sequence[CaseScore]) -> list[str]:
    """Catalogue entries that no case's answer matched, in catalogue order."""
    matched = {b for s in scores for b in s.behaviours}
    return [b for b in catalogue if b not in matched]


def confusion_matrix(pairs: Iterable[tuple[str, str | None]]) -> dict[str, dict[str, int]]:
    """Counts of (gold verdict, answered verdict); an unanswered case counts as "error"."""
    out: dict[str, dict[str, int]] = {}
    for gold, got in pairs:
        row = out.setdefault(gold, {})
        key = got if got is not None else "error"
        row[key] = row.get(key, 0) + 1
    return out
