from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from evals.gold import GoldCase
from evals.naive import NaiveIndex, case_documents, doc_hit, document_of, knowledge_chunks, split_front_matter

DOCS = ["PP 94/2021", "SKB 2/2022", "UU 7/2017", "SE MenPANRB 18/2023", "SE MenPANRB 1/2023"]


class LetterEmbedder:
    """A tiny deterministic embedder: letter frequencies (enough to rank obvious matches)."""

    name = "letters"

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        return [self.embed_query(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        t = text.lower()
        return [t.count(c) + 0.01 for c in "abcdefghijklmnopqrstuvwxyz"]


def test_front_matter_is_stripped() -> None:
    meta, body = split_front_matter("---\nid: x\nlabel: PP 94/2021\n---\nPasal 5\nteks\n")
    assert meta["label"] == "PP 94/2021" and body == "Pasal 5\nteks\n"
    assert split_front_matter("no front matter") == ({}, "no front matter")


def test_document_of_uses_the_longest_matching_document() -> None:
    assert document_of("SKB 2/2022 Lampiran Kode Etik angka 4", DOCS) == "SKB 2/2022"
    assert document_of("SE MenPANRB 18/2023 angka 3", DOCS) == "SE MenPANRB 18/2023"
    assert document_of("SE MenPANRB 1/2023", DOCS) == "SE MenPANRB 1/2023"
    assert document_of("UU 20/2023 Pasal 52", DOCS) is None


def test_doc_hit() -> None:
    case = GoldCase(id="c", question="q", verdicts=("dilarang",),
                    must_cite=(("SKB 2/2022 Lampiran Kode Etik angka 4",), ("UU 20/2023 Pasal 52",)))  # fmt: skip
    assert case_documents(case, DOCS) == {"skb 2/2022"}
    assert doc_hit(case, ["PP 94/2021", "SKB 2/2022"], DOCS, 5)
    assert not doc_hit(case, ["PP 94/2021", "SKB 2/2022"], DOCS, 1)


def test_naive_index_end_to_end(tmp_path: Path) -> None:
    (tmp_path / "FORMAT.md").write_text("# no front matter: skipped\n", encoding="utf-8")
    (tmp_path / "a.md").write_text("---\nlabel: PP 94/2021\n---\n" + "zzzz zzz zz " * 200, encoding="utf-8")
    (tmp_path / "b.md").write_text(
        "---\nlabel: SKB 2/2022\n---\nlike share comment follow\n", encoding="utf-8"
    )
    chunks = knowledge_chunks(tmp_path)
    assert {c.doc for c in chunks} == {"PP 94/2021", "SKB 2/2022"}
    assert all(len(c.text) <= 1000 for c in chunks) and len(chunks) >= 3
    index = NaiveIndex(chunks, LetterEmbedder())
    assert index.doc_labels == ["PP 94/2021", "SKB 2/2022"]
    assert index.search_docs("zzz zz", 2) == ["PP 94/2021", "PP 94/2021"]
    assert index.search_docs("like share comment", 1) == ["SKB 2/2022"]
