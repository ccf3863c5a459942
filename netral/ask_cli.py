"""``netral ask``: one question, or a batch, printed for a person or as JSON."""

from __future__ import annotations

import argparse
import json
import sys

from netral.render_text import render_answer
from rag.settings import Settings


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("question", nargs="?", help="the question (omit with --batch)")
    parser.add_argument("--json", action="store_true", help="print one JSON object per answer")
    parser.add_argument("--batch", metavar="FILE", help="one question per line; '-' reads stdin")
    parser.add_argument("--previous", metavar="QUESTION", help="the previous question, for a follow-up")


def run(args: argparse.Namespace, settings: Settings) -> int:
    from netral.app import build_service

    if not args.batch and not args.question:
        print("netral ask: give a question, or --batch FILE", file=sys.stderr)
        return 2
    service = build_service(settings)
    if args.batch:
        stream = sys.stdin if args.batch == "-" else open(args.batch, encoding="utf-8")  # noqa: SIM115
        with stream:
            for line in stream:
                question = line.rstrip("\n")
                if not question.strip():
                    continue
                answer = service.answer(question)
                if args.json:
                    print(json.dumps(answer.to_json_dict(), ensure_ascii=False), flush=True)
                else:
                    print(render_answer(answer) + "\n", flush=True)
        return 0
    answer = service.answer(args.question, args.previous)
    if args.json:
        print(json.dumps(answer.to_json_dict(), ensure_ascii=False, indent=1))
    else:
        print(render_answer(answer))
    return 0
