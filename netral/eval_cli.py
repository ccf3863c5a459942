"""``netral eval``: ``evals.cli`` wired to the real service (the composition root lives in
``netral/``; evals only see a ``build_service`` callable)."""

from __future__ import annotations

import argparse

from evals import cli as _cli
from rag.settings import Settings

configure = _cli.configure


def run(args: argparse.Namespace, settings: Settings) -> int:
    # Imported here: building the service loads the index and the embedding model, which
    # `netral --help` and the other sub-commands must not pay for.
    from netral.app import build_service

    return _cli.run(args, settings, build_service)
