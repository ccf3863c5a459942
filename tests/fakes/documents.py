"""Hand-made documents shared by the unit tests' fake corpora (bot, evals, LLM answerer)."""

from __future__ import annotations

from rag.types import Document

PP94 = Document(
    id="pp-94-2021",
    label="PP 94/2021",
    type="PP",
    number="94",
    year=2021,
    title="Disiplin Pegawai Negeri Sipil",
    source_url="https://peraturan.bpk.go.id/Details/165653/pp-no-94-tahun-2021",
)
PP53 = Document(
    id="pp-53-2010",
    label="PP 53/2010",
    type="PP",
    number="53",
    year=2010,
    title="Disiplin Pegawai Negeri Sipil",
    status="dicabut",
    replaced_by="PP 94/2021",
)
SKB = Document(
    id="skb-2-2022",
    label="SKB 2/2022",
    type="SKB",
    number="2",
    year=2022,
    title="Pedoman Pengawasan Netralitas Pegawai ASN",
)
