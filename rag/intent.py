"""Simple intent signals read from the question itself: injection attempts, requests for a
political opinion, informational questions, follow-ups. Scope is then confirmed by retrieval
evidence (rag/answer_extractive.py): a question with no neutrality anchor is out of scope."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.lexical import fold

_INJECTION = re.compile(
    r"\b(abaikan|lupakan|acuhkan|ignore|disregard|forget)\b.{0,40}\b(instruksi|perintah|aturan|"
    r"instructions?|rules?|prompt|sebelumnya|previous|above)\b"
    r"|\b(system prompt|prompt sistem|jailbreak|developer mode|mode pengembang|dan mode)\b"
    r"|\b(kamu|anda|you) (sekarang|are now|now are)\b.{0,30}\b(adalah|bukan|a|an)\b"
    r"|\b(berpura pura|pretend|roleplay|bertindaklah sebagai|act as)\b"
)
# Asking the bot to pick or judge a candidate/party: it stays neutral. Addressed to the bot: always.
_OPINION = re.compile(
    r"\b(pendapat|opini|menurut) (kamu|anda|mu|bot)\b.{0,60}\b(calon|capres|cawapres|caleg|partai|"
    r"paslon|kandidat|presiden|gubernur|bupati|walikota)\b"
    r"|\b(what do you think|your opinion|do you support|kamu dukung|anda dukung)\b"
    r"|\b(rekomendasikan|sarankan|recommend)\b.{0,40}\b(calon|capres|caleg|partai|paslon|candidate|party)\b"
)
# Asking who is best / whom to pick: an opinion request, unless the question asks what the asker may do
# ("the pollster asked whom I'd pick; may I answer?") or denies it ("I don't support anyone, but …").
_OPINION_UNLESS_CONDUCT = re.compile(
    r"\b(siapa|mana|which|who)\b.{0,40}\b(terbaik|paling bagus|paling baik|lebih baik|lebih bagus|"
    r"layak|pantas|harus (saya |aku |gw |gue )?pilih|sebaiknya (saya |aku )?pilih|should i vote|best|"
    r"better|menang|win)\b"
    r"|(?<!tidak )(?<!gak )(?<!ga )(?<!gk )(?<!nggak )(?<!ngga )(?<!tdk )(?<!bukan )"
    r"\b(dukung siapa|pilih siapa|coblos siapa|vote for whom|who to vote)\b"
)
_INFO = re.compile(
    r"^(apa|apakah isi|isi|bunyi|jelaskan|sebutkan|siapa|kemana|ke mana|dimana|di mana|bagaimana cara|"
    r"gimana cara|berapa|kapan|mengapa|kenapa|what|which|who|where|when|how do|how can i report|explain|list)\b"
    r"|\b(apa (itu|isi|bunyi|sanksi|saja|hukuman|bedanya|yang dimaksud|dasar hukum)|isi pasal|bunyi pasal|"
    r"masih berlaku|sudah dicabut|siapa yang (menangani|mengawasi|berwenang)|"
    # "diatur di pp berapa", "kena pasal berapa": which article; "bentuknya kayak apa": what it is.
    r"(pasal|ayat|pp|uu|perpres|skb|peraturan) (nomor |no )?berapa|"
    r"bentuk(nya)? (kayak|kaya|seperti|macam) (apa|bagaimana)|"
    # "lapornya kemana", "ngadu ke mana": where to report, however it is spelled.
    r"(lapor|melapor|ngadu|mengadu|adukan)(kan|nya)? ?(ke ?mana|di ?mana|ke siapa)|"
    # "lapor pelanggaran netralitas asn kemana ya": the where-word may come after what is reported.
    r"(lapor|melapor|ngadu|mengadu|adukan|laporin)\w*\b.{0,60}\b(ke ?mana|di ?mana|ke siapa)\W*(ya|sih|min|kak)?\W*$|"
    r"lewat mana|lewat apa|melalui apa|ke siapa|gimana caranya|bagaimana caranya|bagaimana prosedur(nya)?|"
    r"cara (melapor|lapor|melaporkan)|tingkat(an)? hukuman|jenis (sanksi|hukuman)|what (is|are|does)|"
    r"where (can|do|should) i report|\bapa( saja| aja)?$|artinya$|"
    r"still in force|still valid|in effect|revoked|replaced|apply to|bound by|subject to|covered by|"
    r"berlaku (juga )?(untuk|bagi)|"
    # "Pasal mana yang mengatur …", "Pasal 189 itu yang dihukum siapa": asks which article, or whom.
    r"(pasal|ayat|aturan|ketentuan) (mana|apa|yang mana)|yang \w+ siapa|siapa yang)\b"
)
_PERMISSION = re.compile(
    r"\b(boleh|bolehkah|blh|diperbolehkan|dibolehkan|diizinkan|dilarang|larangan|apakah (saya|aku|asn|pns|pppk) "
    r"(bisa|dapat)|allowed|can i|can a|may i|may a|is it ok|is it okay|permitted|forbidden|prohibited|legal to|"
    r"gpp|gapapa|ga papa|tidak apa apa|nggak apa apa)\b"
)
# "Will I be punished / is it a violation?": asks about the consequence of an act.
_CONSEQUENCE = re.compile(
    r"\b(kena sanksi|kena hukuman|bisa kena|dihukum|disanksi|dipecat|melanggar|langgar|"
    r"aman (gak|ga|nggak|tidak|kah|nggak sih|ga sih)|amankah|salah (gak|ga|nggak|tidak)|"
    r"(bahaya|berbahaya|masalah|bermasalah) (gak|ga|nggak|tidak|kah|nggak sih|ga sih|tidak sih)|bahayakah|"
    r"punished|penalized|penalised|sanctioned|in breach|"
    # "itu kena gak?", "tetep kena aturan?", "ada masalah?": will it get me into trouble?
    r"kena (gak|ga|nggak|tidak|gk|kah|ya|nggak sih|tidak sih)|kenakah|(tetap|tetep|masih) kena|"
    r"kena (aturan|larangan|teguran)|(ada|jadi) masalah|"
    r"(is|would|will|could) (that|this|it) (still )?(be |count as )?(a problem|an issue|a violation|"
    r"a breach|ok|okay|fine|allowed)|(get|be) (me |us )?in(to)? trouble|am i at risk|at risk|"
    r"counts? as (a |an )?(neutrality )?(violation|breach|offence|offense))\b"
)
# "Apa itu masalah? / apa itu pelanggaran?" after a story is "is that a problem / a violation?", a yes-no
# question about the act, not "what is …" ("apa itu pelanggaran netralitas" still asks for a definition).
_YES_NO = re.compile(
    r"\b(apa|apakah|apa kah) (itu|ini|hal itu|hal ini|hal tersebut|tindakan itu|perbuatan itu) "
    r"(masalah|bermasalah|melanggar|dilarang|salah|bahaya|berbahaya|aman|boleh|"
    r"(termasuk )?pelanggaran( netralitas)?\s*\??$)"
)
# A question opening with where/how/who/... asks for information even if it contains "can I".
# "Apa saja larangan ASN …" asks for the list, not whether one act is allowed.
_WH_START = re.compile(
    r"^(where|how|who|which|when|what|siapa|ke ?mana|di ?mana|bagaimana cara|gimana cara|kapan|berapa|"
    r"apa (saja|aja) (larangan|yang dilarang|yang tidak boleh|yang gak boleh|yang boleh))\b"
)
# Asks what the sanction/consequence is.
_ASKS_SANCTION = re.compile(
    r"\b(sanksi\w*|hukuman\w*|akibat\w*|konsekuensi\w*|ancaman\w*|dihukum|dipecat|ptdh|pidana|"
    r"penalty|penalties|punish\w*|sanction\w*|consequence\w*|happens|"
    # "kena pasal apa?": which article the act falls under, i.e. what it costs.
    r"(kena|dijerat|melanggar|langgar) (pasal|aturan|uu|pp)|(break|breaks|violate|violates) which|"
    r"which (article|articles|rule|rules) (would|does|do|did) (i|it|this|that|we) (break|violate))\b"
)
# The act is done to favour (or harm) a candidate: "… supaya menguntungkan paslon yang ia dukung".
_FAVOURING = re.compile(
    r"\b(supaya|agar|untuk|biar|demi|buat|so that|to)\b.{0,30}\b(menguntungkan|nguntungin|memenangkan|menangin|"
    r"merugikan|ngerugiin|favou?r|benefit|help (him|her|them) win)\b"
    r"|\b(menguntungkan|nguntungin|memenangkan|merugikan) (salah satu |pasangan |)(calon|paslon|caleg|capres|"
    r"kandidat|peserta|partai)"
)
# The asker is (or asks about) a civil servant, or staff the rules also reach.
ASN_WORDS = (
    r"(asn|pns|pppk|p3k|cpns|aparatur sipil negara|pegawai negeri( sipil)?|abdi negara|honorer|ppnpn|"
    r"(civil|public) (servant|servants)|(government|state) (employee|employees))"
)
_ASN = re.compile(rf"\b{ASN_WORDS}\b")
_FOLLOW_UP = re.compile(
    r"^(kalau|kalo|klo|bagaimana dengan|gimana dengan|gmn dengan|terus|trus|lalu|dan|how about|"
    r"what about|and|kalau begitu|sedangkan|bagaimana kalau|gimana kalau)\b"
)


@dataclass(frozen=True)
class Intent:
    injection: bool
    opinion: bool
    informational: bool
    permission: bool
    consequence: bool
    asks_sanction: bool
    follow_up: bool
    empty: bool
    favouring: bool = False  # the question says the act is meant to favour or harm a candidate


def asks_about_asn_conduct(question: str) -> bool:
    """ "May a civil servant …?" / "will I be punished?" about a civil servant: a question about ASN
    conduct, so in scope even when the act has nothing to do with elections (the answer is then that
    no rule of ours covers it, and who decides). "How much is a PNS paid?" asks no such thing."""
    intent = read_intent(question)
    return (intent.permission or intent.consequence) and bool(_ASN.search(fold(question)))


def read_intent(question: str) -> Intent:
    folded = fold(question)
    words = folded.split()
    yes_no = bool(_YES_NO.search(folded))
    consequence = bool(_CONSEQUENCE.search(folded)) or yes_no
    informational = bool(_INFO.search(folded)) and not yes_no
    wh_question = bool(_WH_START.search(folded))
    permission = (bool(_PERMISSION.search(folded)) and not wh_question) or (consequence and not informational)
    return Intent(
        injection=bool(_INJECTION.search(folded)),
        opinion=bool(_OPINION.search(folded))
        or (bool(_OPINION_UNLESS_CONDUCT.search(folded)) and not permission and not consequence),
        informational=informational,
        permission=permission,
        consequence=consequence,
        asks_sanction=bool(_ASKS_SANCTION.search(folded)),
        follow_up=bool(_FOLLOW_UP.search(folded)) and len(words) <= 8,
        empty=not any(len(w) > 1 or w.isdigit() for w in words),
        favouring=bool(_FAVOURING.search(folded)),
    )


# The words the patterns above look for: a one-slip typo of one of them ("shold", "akibanya", "hkuman")
# is read as the word (rag/answer_extractive.py) so a typo does not change what kind of question it is.
INTENT_WORDS = frozenset(
    w
    for pattern in (
        _INJECTION,
        _OPINION,
        _OPINION_UNLESS_CONDUCT,
        _INFO,
        _PERMISSION,
        _CONSEQUENCE,
        _WH_START,
        _ASKS_SANCTION,
        _FAVOURING,
        _YES_NO,
        _ASN,
    )
    for w in re.findall(r"[a-z]{5,}", pattern.pattern)
)
