"""``netral eval``: run the gold set through the real Service and print (or enforce) the metrics.

netral eval                                   # evals/gold/, readable summary
netral eval --json > baseline.json            # machine-readable; also a --compare baseline
netral eval --compare baseline.json           # per-metric deltas; exit 1 if pass rate dropped
netral eval --enforce                         # exit 1 below the quality bar (CI)
netral eval --report out/eval                 # index.html + summary.md
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from evals.gold import load_gold
from evals.report import SUMMARY_ROWS, fmt, write_report
from evals.runner import EvalResult, run_eval, run_perturb
from rag.errors import ConfigError
from rag.protocols import Service
from rag.settings import Settings

DEFAULT_GOLD = Path(__file__).resolve().parent / "gold"  # package data when installed

# Metrics --compare reports, with whether higher is better (for the arrow in the output).
COMPARED: tuple[tuple[str, bool], ...] = (
    ("pass_rate", True),
    ("verdict_accuracy", True),
    ("citation_recall", True),
    ("mention_rate", True),
    ("fabricated", False),
    ("errors", False),
    ("refusal_accuracy", True),
    ("false_refusals", False),
    ("abstain_accuracy", True),
    ("hit_at_1", True),
    ("hit_at_3", True),
    ("hit_at_5", True),
    ("mrr", True),
    ("latency_p50_s", False),
    ("latency_p95_s", False),
)
_EPS = 1e-9  # float noise must not turn an equal pass rate into a "drop"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="gold .jsonl file or directory")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a summary")
    parser.add_argument("--report", type=Path, metavar="DIR", help="write index.html and summary.md here")
    parser.add_argument("--mode", choices=("extractive", "llm"), help="answer mode (default: settings)")
    parser.add_argument("--tag", action="append", default=[], help="only cases with this tag (repeatable)")
    parser.add_argument("--compare", type=Path, metavar="BASELINE.json", help="a previous --json output")
    parser.add_argument(
        "--max-drop", type=float, default=0.02, help="--compare fails when pass rate drops by more (0.02)"
    )
    parser.add_argument(
        "--enforce",
        action="store_true",
        help="exit 1 when a --min-* threshold is missed or any citation is fabricated",
    )
    parser.add_argument(
        "--perturb", type=int, default=0, metavar="N", help="also ask N seeded noisy variants of every case"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the --perturb variants (0)")
    parser.add_argument("--min-pass", type=float, default=0.90, help="with --enforce (0.90)")
    parser.add_argument("--min-verdict", type=float, default=0.90, help="with --enforce (0.90)")
    parser.add_argument("--min-recall", type=float, default=0.90, help="with --enforce (0.90)")


ServiceFactory = Callable[[Settings], Service]


def run(args: argparse.Namespace, settings: Settings, build_service: ServiceFactory) -> int:
    """``build_service`` comes from the composition root (``netral/eval_cli.py``): evals never
    import ``netral.app``."""
    if args.mode:
        if args.mode == "llm" and not (settings.llm_base_url and settings.llm_model):
            raise ConfigError("--mode llm needs NETRAL_LLM_BASE_URL and NETRAL_LLM_MODEL")
        settings = settings.model_copy(update={"answer_mode": args.mode})
    return run_with_service(args, build_service(settings), mode=settings.answer_mode)


def run_with_service(args: argparse.Namespace, service: Service, mode: str = "") -> int:
    """Everything ``run`` does after building the service (the seam tests use with a fake)."""
    cases = load_gold(args.gold)
    if args.tag:
        wanted = set(args.tag)
        cases = [c for c in cases if wanted & set(c.tags)]
        if not cases:
            raise ConfigError(f"no gold case has tag(s) {', '.join(sorted(wanted))}")
    baseline = load_baseline(args.compare) if args.compare else None

    result = run_eval(service, cases, gold=str(args.gold), mode=mode)
    if args.perturb > 0:
        result = replace(result, perturb=run_perturb(service, result.records, args.perturb, args.seed))
    current = result.to_json_dict()
    comparison = compare(current, baseline, args.max_drop) if baseline is not None else None
    gate = check_thresholds(result, args.min_pass, args.min_verdict, args.min_recall) if args.enforce else []

    if args.report:
        html_path, md_path = write_report(result, args.report)
        print(f"report: {html_path} and {md_path}", file=sys.stderr)
    if args.json:
        out: dict[str, Any] = dict(current)
        if comparison is not None:
            out["compare"] = comparison.to_json_dict()
        if args.enforce:
            out["enforce"] = {"ok": not gate, "failures": gate}
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print(format_summary(result))
        if comparison is not None:
            print()
            print(comparison.format())
        for line in gate:
            print(f"FAIL: {line}")

    failed = bool(gate) or (comparison is not None and not comparison.ok)
    return 1 if failed else 0


# ---------------------------------------------------------------- thresholds


def check_thresholds(result: EvalResult, min_pass: float, min_verdict: float, min_recall: float) -> list[str]:
    """Reasons the result misses the quality bar (empty when it meets it)."""
    m = result.overall
    out: list[str] = []
    if m.pass_rate + _EPS < min_pass:
        out.append(f"pass rate {m.pass_rate:.3f} < {min_pass:.3f}")
    if m.verdict_accuracy + _EPS < min_verdict:
        out.append(f"verdict accuracy {m.verdict_accuracy:.3f} < {min_verdict:.3f}")
    if m.citation_recall + _EPS < min_recall:
        out.append(f"citation recall {m.citation_recall:.3f} < {min_recall:.3f}")
    if m.fabricated > 0:
        out.append(f"{m.fabricated} fabricated citation(s) in {m.fabricated_cases} case(s)")
    if result.perturb is not None:
        p = result.perturb.overall
        if p.false_boleh > 0:
            out.append(f"{p.false_boleh} noisy variant(s) of forbidden cases answered boleh")
        if p.refused_in_scope > 0:
            out.append(f"{p.refused_in_scope} noisy in-scope variant(s) refused as out of scope")
    return out


# ---------------------------------------------------------------- --compare


def load_baseline(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"cannot read baseline {path}: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("overall"), dict):
        raise ConfigError(f"baseline {path} is not a `netral eval --json` output (no 'overall' object)")
    if not isinstance(data["overall"].get("pass_rate"), int | float):
        raise ConfigError(f"baseline {path} has no numeric overall.pass_rate")
    return data


@dataclass(frozen=True)
class Delta:
    metric: str
    baseline: float | None
    current: float | None
    higher_is_better: bool

    @property
    def delta(self) -> float | None:
        if self.baseline is None or self.current is None:
            return None
        return self.current - self.baseline


@dataclass(frozen=True)
class Comparison:
    deltas: tuple[Delta, ...]
    pass_drop: float  # baseline pass rate minus current (positive = worse)
    max_drop: float

    @property
    def ok(self) -> bool:
        return self.pass_drop <= self.max_drop + _EPS

    def to_json_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "pass_rate_drop": self.pass_drop,
            "max_drop": self.max_drop,
            "deltas": {
                d.metric: {"baseline": d.baseline, "current": d.current, "delta": d.delta}
                for d in self.deltas
            },
        }

    def format(self) -> str:
        lines = [f"{'metric':<20} {'baseline':>10} {'current':>10} {'delta':>10}"]
        for d in self.deltas:
            delta = d.delta
            mark = ""
            if delta is not None and abs(delta) > _EPS:
                better = (delta > 0) == d.higher_is_better
                mark = "  better" if better else "  worse"
            lines.append(
                f"{d.metric:<20} {_num(d.baseline):>10} {_num(d.current):>10} "
                f"{'' if delta is None else f'{delta:+.3f}':>10}{mark}"
            )
        verdict = "OK" if self.ok else "REGRESSION"
        lines.append(f"{verdict}: pass rate drop {self.pass_drop:+.3f} (allowed {self.max_drop:.3f})")
        return "\n".join(lines)


def _num(x: float | None) -> str:
    return "–" if x is None else f"{x:.3f}"


def _as_float(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def compare(current: dict[str, Any], baseline: dict[str, Any], max_drop: float) -> Comparison:
    """Per-metric deltas between two --json outputs; fails when pass rate dropped > max_drop."""
    cur, base = current["overall"], baseline["overall"]
    deltas = tuple(
        Delta(name, _as_float(base.get(name)), _as_float(cur.get(name)), up) for name, up in COMPARED
    )
    drop = float(base["pass_rate"]) - float(cur["pass_rate"])
    return Comparison(deltas=deltas, pass_drop=drop, max_drop=max_drop)


# ---------------------------------------------------------------- readable output


def format_summary(result: EvalResult, max_failures: int = 25) -> str:
    m = result.overall
    lines = [f"netral eval · {m.cases} cases · gold {result.gold} · mode {result.mode or '?'}", ""]
    width = max(len(label) for _, label, _ in SUMMARY_ROWS)
    lines += [f"  {label:<{width}}  {fmt(getattr(m, attr), kind)}" for attr, label, kind in SUMMARY_ROWS]
    lines += ["", f"  {'tag':<22} {'n':>4} {'pass':>7} {'verdict':>8} {'recall':>7} {'hit@5':>7}"]
    for tag, t in result.by_tag.items():
        lines.append(
            f"  {tag:<22} {t.cases:>4} {fmt(t.pass_rate, 'rate'):>7} {fmt(t.verdict_accuracy, 'rate'):>8} "
            f"{fmt(t.citation_recall, 'rate'):>7} {fmt(t.hit_at_5, 'rate'):>7}"
        )
    if result.perturb is not None:
        p = result.perturb.overall
        lines += [
            "",
            f"  Noisy variants (--perturb {result.perturb.n}, seed {result.perturb.seed}): {p.variants}",
            f"    verdict accuracy {fmt(p.verdict_accuracy, 'rate')} · stability {fmt(p.stability, 'rate')}"
            f" · false boleh {p.false_boleh} ({p.false_boleh_cases} cases)"
            f" · in-scope refused {p.refused_in_scope} · errors {p.errors}",
        ]
    failing = result.failing
    if failing:
        lines += ["", f"Failing cases ({len(failing)}):"]
        for r in failing[:max_failures]:
            lines.append(f"  {r.case.id}: {'; '.join(r.score.failures)}")
        if len(failing) > max_failures:
            lines.append(f"  … and {len(failing) - max_failures} more (use --report or --json)")
    return "\n".join(lines)
