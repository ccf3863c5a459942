"""``netral ask``: one question, or a batch, printed for a person or as JSON."""

from __future__ import annotations

import argparse
import json
import sys

from netral.render_text import render_answer
from rag.normalize import normalize_text
from rag.settings import Settings
from rag.types import Answer


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("question", nargs="?", help="the question (omit with --batch)")
    parser.add_argument("--json", action="store_true", help="print one JSON object per answer")
    parser.add_argument(
        "--batch",
        metavar="FILE",
        help="one question per line; '-' reads stdin; blank lines and '# ' comment lines are skipped",
    )
    parser.add_argument("--previous", metavar="QUESTION", help="the previous question, for a follow-up")
    parser.add_argument(
        "--explain",
        action="store_true",
        help="also print the matched behaviours with scores, the rule that decided, and the retrieved units",
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    from netral.app import build_service

    if not args.batch and not args.question:
        print("netral ask: give a question, or --batch FILE", file=sys.stderr)
        return 2
    service = build_service(settings)
    if args.batch:
        # One invalid UTF-8 byte must not end the batch: it becomes U+FFFD (then dropped by the
        # normaliser) and the line is still answered.
        if args.batch == "-":
            stream = open(sys.stdin.fileno(), encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115
        else:
            try:
                stream = open(args.batch, encoding="utf-8-sig", errors="replace")  # noqa: SIM115
            except OSError as exc:
                print(f"netral ask: cannot read {args.batch} ({exc.strerror})", file=sys.stderr)
                return 2
        with stream:
            for line in stream:
                question = line.rstrip("\n")
                if not normalize_text(question) or _is_comment(question):
                    continue
                answer = service.answer(question)
                if args.json:
                    print(json.dumps(answer.to_json_dict(), ensure_ascii=False), flush=True)
                else:
                    print(render_answer(answer) + "\n", flush=True)
        return 0
    answer = service.answer(args.question, args.previous)
    if args.explain:
        print(explain(answer), file=sys.stderr)
    if args.json:
        print(json.dumps(answer.to_json_dict(), ensure_ascii=False, indent=1))
    else:
        print(render_answer(answer))
    return 0


def _is_comment(line: str) -> bool:
    """A batch file's comment ("# twenty everyday questions …"); a hashtag question ("#tanya boleh …")
    is still a question."""
    stripped = line.strip()
    return stripped == "#" or stripped.startswith("# ")


def explain(answer: Answer) -> str:
    lines = [f"verdict: {answer.verdict}   rule: {answer.rule or '-'}   abstained: {answer.abstained}"]
    if answer.behaviours:
        lines.append("behaviours (score, verdict, id):")
        lines.extend(f"  {b.score:.3f} {b.verdict:<11} {b.id}" for b in answer.behaviours)
    if answer.closest:
        lines.append("closest behaviours, not borrowed (score, verdict, id):")
        lines.extend(f"  {b.score:.3f} {b.verdict:<11} {b.id}" for b in answer.closest)
    if answer.considered:
        lines.append("applicable behaviours considered (effective score, verdict, id):")
        lines.extend(f"  {b.score:.3f} {b.verdict:<11} {b.id}" for b in answer.considered)
    lines.append("retrieved (rank: fused score, lexical rank, dense rank, norm, label):")
    for i, p in enumerate(answer.retrieved, 1):
        lines.append(
            f"{i:>2}: {p.score:.4f} lex={p.lexical_rank} dense={p.dense_rank} "
            f"{p.unit.norm or '-':<11} {p.unit.label}{' [explicit]' if p.explicit else ''}"
        )
    return "\n".join(lines)
