"""OCR clean-up for regulation texts.

Real texts come from OCR of printed gazettes: running page headers ("PRESIDEN REPUBLIK
INDONESIA", "-2-"), garbled numerals in markers ("2Ol4", "Pasal l2", "(21"), page-turn
catchwords ("b. menghadiri b. menghadiri ..."), stray fragments of the page footer
("SK No 106893 A" read as ": il( i\\lo l0(,15,)") and headings or articles glued onto one line.

The clean-up is conservative: words inside sentences are never changed; only markers
(Pasal/ayat/angka numbers, years and numbers after Nomor/Tahun) get numeral fixes, and the
only insertions are line breaks in front of structural markers. Whether a split-off
``Pasal N`` really starts an article is decided later by the structure parser.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

_DIGIT_LIKE = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", "i": "1", "L": "1"})

# Words after which "Pasal N" is a reference, never the start of an article.
REFERENCE_WORDS = frozenset(
    {
        "dalam", "pada", "dan", "atau", "dengan", "ketentuan", "sebagaimana", "dimaksud", "oleh",
        "menurut", "berdasarkan", "yakni", "yaitu", "terhadap", "antara", "sampai", "lihat", "dari",
        "kecuali", "jo.", "juncto", "tentang", "mengenai", "bahwa", "melanggar", "atas", "serta",
    }
)  # fmt: skip

_ORDINALS = (
    "Kesatu|Pertama|Kedua|Ketiga|Keempat|Kelima|Keenam|Ketujuh|Kedelapan|Kesembilan|Kesepuluh|"
    r"Kesebelas|Kedua\s?belas|Ketiga\s?belas|Keempat\s?belas|Kelima\s?belas|Ke[a-z]+"
)
BAGIAN_WORDS = _ORDINALS


def clean_text(text: str, *, ocr: bool = True) -> str:
    """Clean ``text``; with ``ocr=False`` (curated Markdown) only normalise whitespace."""
    text = normalize_chars(text)
    if not ocr:
        return _tidy_lines(text)
    text = remove_page_breaks(text)
    text = remove_page_headers(text)
    text = fix_marker_numerals(text)
    text = remove_catchwords(text)
    text = remove_noise_runs(text)
    text = split_glued_markers(text)
    text = remove_catchwords(text)
    text = split_glued_words(text)
    return drop_noise_lines(_tidy_lines(text))


def normalize_chars(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\t", " ")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # "^" never occurs in Indonesian legal text; the OCR prefixes it to words ("^jabatan").
    return re.sub(r"\^(?=\w)", "", text)


def _tidy_lines(text: str) -> str:
    lines = (re.sub(r"[ ]{2,}", " ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


# --- page furniture --------------------------------------------------------------------------

# "PRESIDEN REPUBLIK INDONESIA" as the OCR reads it: spaced ("PRE S ID EN"), a stray dot ("PR.ESIDEN"),
# letters misread inside REPUBLIK / INDONESIA ("REPUEUK", "REPUBUK", "INOONESIA").
_RUNNING_HEADER = re.compile(
    r"(?<!PERATURAN )(?<!PERATURAN\n)\bP[ .]?R[ .]?E[ .]?S[ .]?[I!1l][ .]?[DO][ .]?E[ .]?N"
    r"\s+R[ ]?E[ ]?P[ ]?U[ ]?[A-Z]{1,3}[ ]?K\s+I[ ]?N[ ]?[DO0][ ]?O[ ]?N[ ]?E[ ]?S[ ]?I[ ]?A\b(?![ ]*,)"
)
_PAGE_NUMBER = re.compile(r"(?:(?<=\s)|^)-\s?\d{1,3}\s?-(?=\s|$)", re.MULTILINE)
# The State Secretariat's page serial at the foot of each page ("SK No 202813 A"), when the OCR read it
# (its last digits sometimes read as letters: "SK No 21196l A").
_PAGE_SERIAL = re.compile(r"\bSK\s+No\.?\s*\d{3,6}[\dlIO]{0,3}\s?A\b")


# --- page breaks (line level) ----------------------------------------------------------------

_SERIAL_LINE = re.compile(r"^SK\s*No\.?\s*\d{3,6}[\dlIO]{0,3}\s?A$")
_PAGE_NUMBER_LINE = re.compile(r"^[-–]\s?[\dlIO]{0,2}\d[\dlIO]{0,2}\s?[-–]$")
_TRAILING_DOTS = re.compile(r"(?:\s?\.){3}$|…$")


def remove_page_breaks(text: str) -> str:
    """Drop page furniture lines and the catchword a page ends with when the next page repeats it.

    A printed page ends with its serial ("SK No 202813 A") and a catchword (the first words of the next
    page: "b. menaati"); the next page starts with the letterhead ("PRESIDEN" / "REPUBLIK INDONESIA",
    misread in many ways) and its number ("-14-"), then repeats the catchword's line in full
    ("b. menaati ketentuan ..."). Only whole lines are dropped: furniture, and a catchword line that
    the first line after the furniture starts with."""
    lines = text.split("\n")
    furniture = _furniture_lines(lines)
    out: list[str] = []
    i = 0
    while i < len(lines):
        if i not in furniture:
            out.append(lines[i])
            i += 1
            continue
        while i < len(lines) and (i in furniture or not lines[i].strip()):
            i += 1
        # ``out`` ends with the page's last line (after its serial); lines[i] starts the next page.
        last = next((k for k in range(len(out) - 1, -1, -1) if out[k].strip()), None)
        if last is not None and i < len(lines) and _is_catchword(out[last], lines[i]):
            del out[last]
    return "\n".join(out)


def _furniture_lines(lines: list[str]) -> set[int]:
    found: set[int] = set()
    for i, line in enumerate(lines):
        s = line.strip()
        if _SERIAL_LINE.match(s) or _PAGE_NUMBER_LINE.match(s):
            found.add(i)
        elif _near(s, "PRESIDEN", 2):
            # the letterhead: "PRESIDEN" then (blank lines allowed) "REPUBLIK INDONESIA"
            j = i + 1
            while j < len(lines) and not lines[j].strip():
                j += 1
            if j < len(lines) and _near(lines[j].strip(), "REPUBLIK INDONESIA", 5):
                found.update((i, j))
    return found


def _near(line: str, word: str, edits: int) -> bool:
    """``line`` is ``word`` in capitals, up to ``edits`` OCR misreadings away (letters compared only)."""
    if not line or len(line) > len(word) + edits + 2 or any(ch.islower() for ch in line):
        return False
    letters = "".join(ch for ch in line if not ch.isspace())
    target = word.replace(" ", "")
    return _distance(letters, target, edits) <= edits


def _distance(a: str, b: str, cap: int) -> int:
    """Levenshtein distance, stopping early once it exceeds ``cap``."""
    if abs(len(a) - len(b)) > cap:
        return cap + 1
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        best = row[0]
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
            best = min(best, row[j])
        if best > cap:
            return cap + 1
    return row[-1]


def _is_catchword(last: str, first: str) -> bool:
    if _TRAILING_DOTS.search(last.strip()) and len(last.strip()) <= 40:
        return True  # "Bagian . . ." / "BABIII ...": a catchword, however the next page spells it
    catch = " ".join(_TRAILING_DOTS.sub("", last).split())
    nxt = " ".join(first.split())
    return 0 < len(catch) < len(nxt) and len(catch) <= 80 and nxt.startswith(catch)


def remove_page_headers(text: str) -> str:
    """Drop "PRESIDEN REPUBLIK INDONESIA" running headers (not the Perpres title) and page numbers."""
    text = _RUNNING_HEADER.sub(" ", text)
    text = _PAGE_SERIAL.sub(" ", text)
    return _PAGE_NUMBER.sub(" ", text)


# --- numerals in markers ---------------------------------------------------------------------

_YEAR_OR_NUMBER = re.compile(r"\b(Tahun|TAHUN|Nomor|NOMOR)\s+([0-9OoIlLi]{1,4})\b(?!-)")
_PASAL_NUMBER = re.compile(
    r"\b(Pasal)[ ]+((?:[0-9OolIL]{1,3})(?:[ ]?[0-9OolIL]{1,2}){0,2})([A-Z]?)(?=[ ]*(?:$|\n|\(|[A-Z]|\"))"
)
_AYAT_GARBLED = re.compile(r"[({](\d{1,2})[1l)}](?=[\s,;.:]|$)")
_AYAT_LETTER_L = re.compile(r"\(l\)")
_ANGKA_AFTER_COLON = re.compile(r"(:\s+)(?:f|l|I)\s?\.(?=\s+[a-z])")
_ANGKA_SPLIT_DIGITS = re.compile(r"(?<=[.;:]\s)(\d) (\d)\.(?=\s+[A-Z])")
_PJ_AYAT_LETTER = re.compile(r"\bAyat \(a\)")


_PASAL_WORD = re.compile(r"\bPas(?:a[tIJ1L|\]]|d|a\.l|a-l|al-|4l)[ ]*(?=\d)")


def fix_marker_numerals(text: str) -> str:
    """Fix OCR letters read for digits, but only inside structural markers and Nomor/Tahun."""
    text = _PASAL_WORD.sub("Pasal ", text)
    text = _YEAR_OR_NUMBER.sub(_fix_number_token, text)
    text = _PASAL_NUMBER.sub(_fix_pasal, text)
    text = _AYAT_LETTER_L.sub("(1)", text)
    text = _AYAT_GARBLED.sub(_fix_ayat, text)
    # "(a)" after a capitalised "Ayat" is the Penjelasan marker "Ayat (4)" misread.
    text = _PJ_AYAT_LETTER.sub("Ayat (4)", text)
    text = _ANGKA_AFTER_COLON.sub(r"\g<1>1.", text)
    return _ANGKA_SPLIT_DIGITS.sub(r"\1\2.", text)


def _fix_number_token(match: re.Match[str]) -> str:
    token = match.group(2)
    if not any(ch.isdigit() for ch in token) and not (match.group(1).isupper() and len(token) <= 3):
        return match.group(0)
    fixed = token.translate(_DIGIT_LIKE)
    return f"{match.group(1)} {fixed}" if fixed.isdigit() else match.group(0)


def _fix_pasal(match: re.Match[str]) -> str:
    raw = match.group(2)
    if not any(ch.isdigit() for ch in raw):
        return match.group(0)  # "Pasal I", "Pasal II": roman numerals of an amending law
    digits = raw.replace(" ", "").translate(_DIGIT_LIKE)
    if not digits.isdigit() or len(digits) > 4:
        return match.group(0)
    return f"{match.group(1)} {int(digits)}{match.group(3)}"


def _fix_ayat(match: re.Match[str]) -> str:
    whole = match.group(0)
    if whole.startswith("(") and whole.endswith(")"):
        return whole
    return f"({match.group(1)})"


# --- catchwords and noise --------------------------------------------------------------------

_MARKER = r"(?:[a-z]\.|\d{1,3}\.|\(\d{1,2}\)|Pasal \d+[A-Z]?|Huruf [a-z]|Angka \d+|Ayat \(\d+\))"
_CATCHWORD_REPEAT = re.compile(
    rf"(?P<m>{_MARKER})[ ]+(?P<w>[^\s.]+)[ ]+(?:[^\n]{{0,60}}?[ ])?(?P=m)[ ]+(?P=w)\b"
)
_CATCHWORD_ELLIPSIS = re.compile(
    r"(?:(?<=\s)|^)(?:[a-z]\.[ ]|\(\d+\)[ ]|Pasal[ ]|BAB[ ])?[^\s…]+…", re.MULTILINE
)
_CATCHWORD_DOTS = re.compile(r"(?:(?<=\s)|^)[A-Z][a-z]+\.[ ]\.[ ]\.(?=\s|$)", re.MULTILINE)


def remove_catchwords(text: str) -> str:
    """Drop the page-turn catchword ("b. menghadiri" at a page foot, repeated on the next page)."""
    text = _CATCHWORD_ELLIPSIS.sub(" ", text)
    text = _CATCHWORD_DOTS.sub(" ", text)
    previous = None
    while previous != text:
        previous = text
        text = _CATCHWORD_REPEAT.sub(r"\g<m> \g<w>", text)
    return text


_JUNK_CHARS = re.compile(r"[{}\[\]|\\<>!~*#@$=+]")
_BAD_PAREN = re.compile(r"\w\(|\)\w|\(\)|\(\W|\W\)(?<!\.\))(?<!,\))")
# Quotes straight or typographic: the official texts quote each defined term (“asas …”), and a
# two-word quoted term read as two junk tokens was dropped as noise.
_LEGIT_TOKEN = re.compile(r"^[\"'(“‘]?[\w/.,%-]+[)\"'”’]?[;:,.)]*$")
_MARKER_TOKEN = re.compile(r"^(?:[a-z]\.|\d{1,3}\.|\(\d{1,2}\)|[IVX]+\.)$")


_MIXED = re.compile(r"[a-z]\d|\d[a-z]", re.IGNORECASE)
_NUMBERED = re.compile(r"^\d+[A-Za-z]$|^[A-Za-z]+-\d+$|^\d+o/o$")


def _token_kind(token: str) -> str:
    """'junk' (surely OCR noise), 'filler' (short, noise only next to junk) or 'word'."""
    if _MARKER_TOKEN.match(token):
        return "word"
    if _JUNK_CHARS.search(token) or _BAD_PAREN.search(token) or token.count("'") > 1:
        return "junk"
    if not _LEGIT_TOKEN.match(token) and not token.isalpha():
        return "junk"
    core = token.strip(";:,.")
    if _MIXED.search(core) and not _NUMBERED.match(core):
        return "filler"
    if core.isalpha() and len(core) <= 3 and core[0].isupper() and not core.isupper() and core[1:].islower():
        return "filler"
    if not core or len(token) == 1 or (len(core) <= 6 and not core.isalpha() and not core.isdigit()):
        return "filler"
    if core.isdigit() and len(core) <= 6:
        return "filler"
    return "word"


def remove_noise_runs(text: str) -> str:
    """Remove runs of OCR garbage tokens (mangled page footers) from inside lines."""
    return "\n".join(_clean_line_tokens(line) for line in text.split("\n"))


def _clean_line_tokens(line: str) -> str:
    tokens = line.split()
    kinds = [_token_kind(t) for t in tokens]
    keep = [True] * len(tokens)
    i = 0
    while i < len(tokens):
        if kinds[i] == "word":
            i += 1
            continue
        j = i
        while j < len(tokens) and kinds[j] != "word":
            j += 1
        junk = sum(k == "junk" for k in kinds[i:j])
        if junk >= 2 or (junk == 1 and j - i >= 2) or (junk == 1 and _is_strong_junk(tokens[i:j])):
            for k in range(i, j):
                keep[k] = False
        i = j
    return " ".join(t for t, k in zip(tokens, keep, strict=True) if k)


def _is_strong_junk(tokens: list[str]) -> bool:
    return any(len(_JUNK_CHARS.findall(t)) + len(_BAD_PAREN.findall(t)) >= 2 for t in tokens)


_NOISE_LINE_MIN_LETTERS = 3


def drop_noise_lines(text: str) -> str:
    """Drop lines with almost no letters (stray fragments, leftover page numbers)."""
    kept: list[str] = []
    for line in text.split("\n"):
        letters = sum(ch.isalpha() for ch in line)
        if letters >= _NOISE_LINE_MIN_LETTERS or _MARKER_TOKEN.match(line) or re.match(r"^\(\d+\)", line):
            kept.append(line)
    return "\n".join(kept)


# --- glued headings and markers --------------------------------------------------------------

_SPLITS: tuple[re.Pattern[str], ...] = (
    re.compile(r"\s+(?=B ?A ?B\s+[IVXLC]+\b(?:\s+[A-Z]{2,}|\s*$))"),
    re.compile(rf"\s+(?=Bagian\s+(?:{_ORDINALS})\b)"),
    re.compile(r"\s+(?=Paragraf\s+\d+\b)"),
    re.compile(r"\s+(?=PENJELASAN\s+ATAS\b)"),
    re.compile(r"\s+(?=I\.\s*UMUM\b)"),
    re.compile(r"\s+(?=II\.\s*PASAL\s+DEMI\s+PASAL\b)"),
    re.compile(r"\s+(?=Agar setiap orang mengetahuinya)"),
    re.compile(r"\s+(?=TAMBAHAN\s+LEMBARAN\s+NEGARA\b)"),
    re.compile(r"\s+(?=LAMPIRAN\s+[A-Z]{3,})"),
)
_GLUED_PASAL = re.compile(
    r"(?P<before>\S+)[ ]+(?P<marker>Pasal[ ]+(?:\d+[A-Z]?|[IVX]+))(?=[ ]*$|[ ]+(?P<after>\S+))",
    re.MULTILINE,
)
_STRUCTURAL_START = re.compile(r"^(?:\(\d+\)|Ayat|Huruf|Angka|Cukup|Dihapus|[A-Z][a-z]|[A-Z]{2,}\b|\")")
_REFERENCE_CONTINUATION = re.compile(r"^(?:ayat|huruf|angka|dan|atau|sampai|jo\.?|,)")
_PASAL_THEN_TEXT = re.compile(r"^(Pasal[ ]+(?:\d+[A-Z]?|[IVX]+))[ ]+(?=\(\d|[A-Z\"])", re.MULTILINE)
_GLUED_AYAT = re.compile(r"(?<!ayat)(?<!Ayat)[ ]+(?=\(\d{1,2}\)[ ]+[A-Z])")
_GLUED_HURUF = re.compile(r"(?<=[;:])[ ]+(?=[a-z]\.[ ]+\S)")
_GLUED_ANGKA = re.compile(r"(?<=[;:.])[ ]+(?=\d{1,3}\.[ ]+[A-Za-z])")
_GLUED_PJ_MARKER = re.compile(
    r"[ ]+(?=(?:Huruf[ ]+[a-z]|Angka[ ]+\d+|Ayat[ ]+\(\d+\))(?:[ ]|$))", re.MULTILINE
)
_BAB_SPACED = re.compile(r"\bB A B\b")
_BAB_TITLE_END = re.compile(r"^(BAB\s+[IVXLC]+(?:\s+[A-Z][A-Z,/&-]*)+?)[ ]+(?=[A-Z][a-z])", re.MULTILINE)


def split_glued_markers(text: str) -> str:
    """Put headings, ``Pasal N`` and ayat/huruf/angka markers glued mid-line on lines of their own."""
    text = _BAB_SPACED.sub("BAB", text)
    for pattern in _SPLITS:
        text = pattern.sub("\n", text)
    text = _BAB_TITLE_END.sub("\\1\n", text)
    text = _GLUED_PASAL.sub(_split_pasal, text)
    text = _PASAL_THEN_TEXT.sub("\\1\n", text)
    text = _GLUED_PJ_MARKER.sub("\n", text)
    text = _GLUED_AYAT.sub("\n", text)
    text = _GLUED_HURUF.sub("\n", text)
    text = _GLUED_ANGKA.sub("\n", text)
    return "\n".join(_split_expected_markers(text.split("\n")))


_LINE_HURUF = re.compile(r"^([a-z])\.\s")
_LINE_ANGKA = re.compile(r"^(\d{1,3})\.\s")
_LINE_AYAT = re.compile(r"^\((\d{1,2})\)\s")


def _split_expected_markers(lines: list[str]) -> list[str]:
    """Split a line where the next expected huruf/angka/ayat marker sits after page-foot junk.

    "...Kepegawaian; 5.i A e. bekerja pada ..." follows a line starting "d.": the "e." there
    is the next item, so it gets its own line; the junk left behind is trimmed.
    """
    out: list[str] = []
    last: dict[str, Any] = {"huruf": "", "angka": 0, "ayat": 0, "opened": False}
    for line in lines:
        pending = line
        _remember(pending, last)
        while True:
            cut = _expected_cut(pending, last)
            if cut is None:
                break
            out.append(_trim_trailing_junk(pending[:cut]))
            pending = pending[cut:].lstrip()
            _remember(pending, last)
        last["opened"] = pending.endswith(":")
        out.append(pending)
    return [line for line in out if line]


def _remember(line: str, last: dict[str, Any]) -> None:
    if line.startswith("Pasal "):
        last.update(huruf="", angka=0, ayat=0)
    elif m := _LINE_AYAT.match(line):
        last.update(ayat=int(m.group(1)), huruf="", angka=0)
    elif m := _LINE_HURUF.match(line):
        last.update(huruf=m.group(1), angka=0)
    elif m := _LINE_ANGKA.match(line):
        last["angka"] = int(m.group(1))


def _expected_cut(line: str, last: dict[str, Any]) -> int | None:
    wanted: list[str] = [r"a\.[ ]+[a-zA-Z]", r"1\.[ ]+[a-zA-Z]"] if last["opened"] else []
    if last["huruf"]:
        wanted.append(re.escape(chr(ord(last["huruf"]) + 1)) + r"\.[ ]+[a-zA-Z]")
    if last["angka"]:
        wanted.append(str(last["angka"] + 1) + r"\.[ ]+[a-zA-Z]")
    if last["ayat"]:
        wanted.append(r"\(" + str(last["ayat"] + 1) + r"\)[ ]+[A-Z]")
    if not wanted:
        return None
    match = re.search(r"[ ](?=" + "|".join(wanted) + ")", line[2:])
    if match is None:
        return None
    before = line[: match.start() + 2].rstrip().split()
    if before and before[-1].lower().rstrip(",") in {"huruf", "angka", "ayat", "nomor", "tahun", "dan"}:
        return None
    return match.start() + 3


_TRAILING_OK = re.compile(r"^(?:[a-z]{2,}|dan/atau)[,;]?$")


def _trim_trailing_junk(text: str) -> str:
    tokens = text.rstrip().split()
    while tokens and len(tokens) > 3 and not _TRAILING_OK.match(tokens[-1]) and len(tokens[-1]) <= 5:
        if re.search(r"[.;:]$", tokens[-1]) and tokens[-1][:-1].isalpha():
            break
        tokens.pop()
    return " ".join(tokens)


def _split_pasal(match: re.Match[str]) -> str:
    before, after = match.group("before"), match.group("after") or ""
    word = before.lower().rstrip(",")
    if word in REFERENCE_WORDS or before.endswith(",") or before in {"Pasal", "pasal"}:
        return match.group(0)
    if _REFERENCE_CONTINUATION.match(after):
        return match.group(0)
    # After a sentence end anything may follow (OCR garbles the first word); otherwise the
    # article must visibly start: "(1)", a capitalised word, a Penjelasan marker.
    if not (before[-1] in ".;:" or not after or _STRUCTURAL_START.match(after)):
        return match.group(0)
    return f"{before}\n{match.group('marker')}"


# --- words glued at line joins ---------------------------------------------------------------

_GLUED_CANDIDATE = re.compile(r"\b[A-Za-z]*(?:[a-z][A-Z]|[A-Z]{2}[a-z])[A-Za-z]*\b")
_BOUNDARY = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z]{2})(?=[a-z])")
_PLAIN_WORD = re.compile(r"^(?:[a-z]+|[A-Z][a-z]+|[A-Z]+)$")


def split_glued_words(text: str) -> str:
    """Split words the OCR or a line join glued together ("PPPKdilakukan", "MahkamahAgung").

    Conservative: only at a lower→upper or acronym→lower boundary, and only when every piece is a word
    the same document uses on its own (acronyms as written, other words of 3+ letters); a misread
    word ("penJrusunan") has pieces the document never uses and stays as it is."""
    words = {w for w in re.findall(r"[A-Za-z]+", text) if _PLAIN_WORD.match(w)}
    vocab = {w.lower() for w in words if len(w) >= 3}
    acronyms = {w for w in words if w.isupper() and 2 <= len(w) <= 6}

    def known(piece: str) -> bool:
        return piece in acronyms if piece.isupper() else len(piece) >= 3 and piece.lower() in vocab

    def split(match: re.Match[str]) -> str:
        token = match.group(0)
        pieces = _BOUNDARY.split(token)
        if len(pieces) < 2 or not all(known(p) for p in pieces):
            return token
        return " ".join(pieces)

    return _GLUED_CANDIDATE.sub(split, text)
