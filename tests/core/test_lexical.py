from rag.lexical import BM25, Analyzer, Lexicon, Stemmer, fold


def test_fold_strips_punctuation_and_case() -> None:
    assert fold("Nge-LIKE postingan “Capres”!") == "nge like postingan capres"


def test_stemming_is_cached() -> None:
    s = Stemmer()
    assert s.stem("menyukai") == "suka"
    assert s.cache["menyukai"] == "suka"


def test_lexicon_expands_colloquial_terms() -> None:
    lex = Lexicon([["menyukai", "like", "nge like"], ["media sosial", "medsos"]])
    a = Analyzer(Stemmer(), lex)
    terms = a.query_terms("pns boleh nge-like di medsos?")
    assert terms["like"] == 1.0
    assert terms["suka"] == 0.5  # from "menyukai"
    assert "media" in terms and "sosial" in terms


def test_bm25_ranks_the_matching_unit_first() -> None:
    a = Analyzer(Stemmer())
    docs = {
        "a": a.tokens("PNS dilarang menjadi anggota partai politik"),
        "b": a.tokens("PNS wajib mengundurkan diri saat ditetapkan sebagai calon"),
        "c": a.tokens("membuat posting, comment, share, like dalam grup pemenangan"),
    }
    bm = BM25(docs)
    assert bm.search(a.query_terms("boleh like dan share di grup?"), 3)[0][0] == "c"
    assert bm.search(a.query_terms("jadi anggota partai"), 1)[0][0] == "a"
    assert bm.search({}, 3) == []
