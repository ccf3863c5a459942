"""Run a Service over gold cases and collect per-case records plus metrics."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from evals.gold import GoldCase
from evals.metrics import (
    CaseScore,
    Metrics,
    PerturbMetrics,
    VariantScore,
    aggregate,
    aggregate_by_tag,
    aggregate_variants,
    score_case,
    score_variant,
)
from evals.perturb import variants
from rag.protocols import Service
from rag.types import Answer, Document, Unit

log = logging.getLogger(__name__)

TOP_RETRIEVED = 5  # retrieved labels kept per case in the records and the report


@dataclass(frozen=True)
class CaseRecord:
    """What happened on one gold question, for the report and the JSON output."""

    case: GoldCase
    score: CaseScore
    got_verdict: str | None  # None when the service raised
    answer: str
    citations: tuple[str, ...]  # returned citation labels, in order
    retrieved: tuple[str, ...]  # top retrieved unit labels, in rank order

    @property
    def passed(self) -> bool:
        return self.score.passed

    def to_json_dict(self) -> dict[str, object]:
        return {
            "id": self.case.id,
            "question": self.case.question,
            "tags": list(self.case.tags),
            "expected_verdict": list(self.case.verdicts),
            "got_verdict": self.got_verdict,
            "passed": self.passed,
            "citations": list(self.citations),
            "retrieved": list(self.retrieved),
            "citation_recall": self.score.recall,
            "retrieval_rank": self.score.retrieval_rank,
            "fabricated": [{"label": f.label, "reason": f.reason} for f in self.score.fabricated],
            "latency_s": self.score.latency_s,
            "failures": list(self.score.failures),
            "abstain_expected": self.case.abstain,
            "abstained": self.score.abstained,
            "behaviours": list(self.score.behaviours),
            "answer": self.answer,
        }


@dataclass(frozen=True)
class EvalResult:
    records: tuple[CaseRecord, ...]
    overall: Metrics
    by_tag: dict[str, Metrics] = field(default_factory=dict)
    gold: str = ""
    mode: str = ""
    perturb: PerturbResult | None = None
    # The service's behaviour catalogue ids (optional hook ``behaviour_ids()``); None without it.
    catalogue: tuple[str, ...] | None = None

    @property
    def failing(self) -> list[CaseRecord]:
        return [r for r in self.records if not r.passed]

    def to_json_dict(self) -> dict[str, object]:
        """The --json output; also the shape --compare reads as a baseline."""
        return {
            "gold": self.gold,
            "mode": self.mode,
            "overall": self.overall.to_json_dict(),
            "by_tag": {tag: m.to_json_dict() for tag, m in self.by_tag.items()},
            "cases": [r.to_json_dict() for r in self.records],
            **({"perturb": self.perturb.to_json_dict()} if self.perturb is not None else {}),
        }


@dataclass(frozen=True)
class PerturbResult:
    """Noisy variants of every case, scored against the gold and the clean answer."""

    n: int
    seed: int
    scores: tuple[VariantScore, ...]
    overall: PerturbMetrics

    @property
    def unstable(self) -> list[VariantScore]:
        return [s for s in self.scores if s.verdict != s.clean_verdict]

    def to_json_dict(self) -> dict[str, object]:
        return {
            "n": self.n,
            "seed": self.seed,
            "overall": self.overall.to_json_dict(),
            "variants": [
                {
                    "id": s.case_id,
                    "question": s.text,
                    "rules": list(s.rules),
                    "clean_verdict": s.clean_verdict,
                    "got_verdict": s.verdict,
                    "verdict_ok": s.verdict_ok,
                    "false_boleh": s.false_boleh,
                    "refused_in_scope": s.refused_in_scope,
                }
                for s in self.scores
            ],
        }


def run_perturb(service: Service, records: Sequence[CaseRecord], n: int, seed: int) -> PerturbResult:
    """Ask ``n`` seeded noisy variants of every already-answered case."""
    scores: list[VariantScore] = []
    for record in records:
        for variant in variants(record.case.question, n, seed):
            verdict: str | None = None
            try:
                verdict = service.answer(variant.text).verdict
            except Exception as exc:  # one broken variant must not hide the others
                log.warning("case %s variant %r: the service raised %s", record.case.id, variant.text, exc)
            scores.append(
                score_variant(record.case, variant.text, variant.rules, record.got_verdict, verdict)
            )
    return PerturbResult(n=n, seed=seed, scores=tuple(scores), overall=aggregate_variants(scores))


def run_eval(
    service: Service,
    cases: Sequence[GoldCase],
    *,
    gold: str = "",
    mode: str = "",
    clock: Callable[[], float] = time.perf_counter,
    on_case: Callable[[CaseRecord], None] | None = None,
) -> EvalResult:
    """Answer every case (in order, one at a time, so latencies are per answer) and score it."""
    lookup = _CachedLookup(service)
    records: list[CaseRecord] = []
    for case in cases:
        start = clock()
        answer: Answer | None = None
        error = ""
        try:
            answer = service.answer(case.question)
        except Exception as exc:  # one broken question must not hide the other results
            log.warning("case %s: the service raised %s", case.id, exc)
            error = f"{type(exc).__name__}: {exc}"
        latency = clock() - start
        score = score_case(case, answer, lookup, latency_s=latency, error=error)
        record = CaseRecord(
            case=case,
            score=score,
            got_verdict=answer.verdict if answer else None,
            answer=answer.answer if answer else "",
            citations=tuple(c.label for c in answer.citations) if answer else (),
            retrieved=tuple(p.unit.label for p in answer.retrieved[:TOP_RETRIEVED]) if answer else (),
        )
        records.append(record)
        if on_case is not None:
            on_case(record)
    scores = [r.score for r in records]
    return EvalResult(
        records=tuple(records),
        overall=aggregate(scores),
        by_tag=aggregate_by_tag(scores),
        gold=gold,
        mode=mode,
        catalogue=catalogue_ids(service),
    )


def catalogue_ids(service: object) -> tuple[str, ...] | None:
    """The behaviour catalogue of a service that offers the optional ``behaviour_ids()`` hook
    (not part of the Service protocol, so older services and fakes keep working)."""
    hook = getattr(service, "behaviour_ids", None)
    return tuple(hook()) if callable(hook) else None


class _CachedLookup:
    """``service.unit`` memoised: many answers cite the same units."""

    def __init__(self, service: Service) -> None:
        self._service = service
        self._cache: dict[str, tuple[Unit, Document] | None] = {}

    def __call__(self, label: str) -> tuple[Unit, Document] | None:
        if label not in self._cache:
            self._cache[label] = self._service.unit(label)
        return self._cache[label]
