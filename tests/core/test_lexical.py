from rag.bm25 import BM25
from rag.lexical import Analyzer, Lexicon, Stemmer, fold


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


def test_unknown_words_get_the_nearest_corpus_word() -> None:
    bm = BM25({"a": ["grup", "whatsapp", "timses"], "b": ["mobil", "dinas"]})
    fixed = bm.with_typo_fixes({"whatsap": 1.0, "grup": 1.0, "xyzzyq": 1.0})
    assert fixed["whatsapp"] == 0.7 and fixed["grup"] == 1.0
    assert "xyzzyq" in fixed and len(fixed) == 4  # nothing close: kept, no correction added


def test_english_words_unknown_to_the_corpus_expand_at_full_weight() -> None:
    a = Analyzer(Stemmer(), Lexicon([["stiker", "sticker"], ["kampanye", "campaign"]]))
    corpus = {"stiker", "kampanye"}
    terms = a.query_terms("campaign sticker", corpus.__contains__)
    assert terms["stiker"] == 1.0 and terms["kampanye"] == 1.0
    terms = a.query_terms("stiker campaign", corpus.__contains__)
    assert terms["stiker"] == 1.0 and terms["kampanye"] == 1.0
