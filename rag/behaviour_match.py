"""Question → behaviours: which catalogue entries (rag/behaviours.py) the question is about.

Two signals, each in [0, 1]:
- lexical coverage: the share of the question's content words (IDF-weighted, chat spellings
  rewritten, typos corrected against the catalogue vocabulary, lexicon synonyms and English
  translations followed) that the entry's own vocabulary (title, explanation, examples, terms,
  situation words) contains. Words the catalogue has never seen count against every entry, so a
  question about an unknown behaviour scores low everywhere instead of borrowing a verdict.
  A story (MatchWeights.story_words content words or more) is read the other way round on the
  phrasing side: how much of an entry's closest phrasing the story covers, since the act is one
  sentence of the story and its setting dilutes every entry's share of the question.
- dense similarity: the best cosine between the question and the entry's example phrasings and
  titles (the same query embedding the unit retriever uses), rescaled from the model's narrow
  band of cosines to [0, 1].
The match score is their weighted sum (weights in MatchWeights). Deciding what to do with the
scores is rag/decide.py's job.
"""

from __future__ import annotations

import difflib
import itertools
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from rag.behaviours import Behaviour
from rag.intent import ASN_WORDS
from rag.lexical import STOPWORDS, Analyzer
from rag.slang import prepare
from rag.typos import slip_keeping_letters

# Who is asking, not what they did: every entry is about them, so these words neither help nor hurt a
# match (the entries for a particular group name it in their situation words).
SUBJECT_WORDS = frozenset(
    {
        "pns",
        "asn",
        "pppk",
        "cpns",
        "pegawai",
        "aparatur",
        "sipil",
        "negeri",
        "civil",
        "servant",
        "servants",
        "employee",
        "employees",
        "kita",
        "orang",
        "seseorang",
        "someone",
        # The asker's job in English ("PPPK nurse here, can I …"): who asks, not what they do.
        "nurse",
        "teacher",
        "doctor",
        "lecturer",
        "midwife",
        "here",
    }
)
# What happens after the act, not the act: a question's "kena sanksi apa?" says nothing about which
# behaviour it is about (the rules for sanction questions are in rag/decide.py).
CONSEQUENCE_WORDS = frozenset(
    {
        "sanksi",
        "sanksinya",
        "hukuman",
        "hukumannya",
        "hukum",
        "kena",
        "dikenai",
        "dikenakan",
        "akibat",
        "akibatnya",
        "konsekuensi",
        "sanction",
        "sanctions",
        "penalty",
        "punished",
        "punishment",
        "melanggar",
        "pelanggaran",
        "langgar",
        "aman",
        "bahaya",
        "moral",
        "disiplin",
        "berat",
        "ringan",
        "dimaksud",
        "maksud",
        "arti",
        "artinya",
        "jenis",
        "macam",
        "netralitas",
        "netral",
        "neutrality",
        "neutral",
    }
)

_POSSESSIVE = ("nya", "ku", "mu")
_NOT_YET = re.compile(r"\b(belum|blm|not yet|yet to|menunggu|nunggu|waiting)\b")
# The asker says they are (still) a civil servant: a met condition then belongs to someone else ("bapak
# saya sudah pensiun …, saya PNS boleh bantu?"), and the asker's own rules still apply in full.
_ASKER_IS_ASN = re.compile(
    rf"\b(saya|aku|gue|gw|i am|i m|im|as an?)( masih| still| a| seorang| sebagai)* {ASN_WORDS}\b"
    rf"|\b(masih|still) (menjadi |jadi |an? )?{ASN_WORDS}\b"
)
# The asker says they do an act themselves: "saya PNS pasang …", "aku sendiri yang upload …", "I put up
# …". An entry about someone else doing that act (its others_act) is then not the question's situation.
_SELF = r"(?:saya|aku|gue|gw|i)"
_SELF_BETWEEN = (
    rf"(?: (?:{ASN_WORDS}|sendiri|yang|mau|ingin|pengen|pgn|mo|ikut|ikutan|boleh|bisa|juga|akan|lah|ini|"
    r"sudah|udah|pernah|lagi|cuma|hanya|mau ikut|am|will|want to|also|did|myself|would|can|just|"
    # "sy PNS, blh gk pasang bendera": "boleh gak" asks whether the asker may do it.
    r"boleh tidak|bisa tidak))*"
)


# "suami saya pasang …" is the husband's act: a pronoun after a person is a possessive.
_POSSESSORS = frozenset(
    [
        "suami",
        "istri",
        "bapak",
        "ibu",
        "ayah",
        "mama",
        "papa",
        "anak",
        "adik",
        "kakak",
        "abang",
        "mertua",
        "ortu",
        "keluarga",
        "teman",
        "kawan",
        "tetangga",
        "atasan",
        "bos",
        "kepala",
        "tim",
        "timses",
        "my",
    ]
)


def asker_does(acts: Sequence[str]) -> re.Pattern[str] | None:
    """The pattern of a question saying the asker does one of ``acts`` themselves (read with
    ``says_asker_does``, which skips possessives)."""
    prepared = [a for a in (prepare(x) for x in acts) if a]
    if not prepared:
        return None
    alternatives = "|".join(re.escape(a) for a in sorted(prepared, key=len, reverse=True))
    return re.compile(rf"(?:^|(?<= )){_SELF}{_SELF_BETWEEN} (?:{alternatives})\b")


def says_asker_does(pattern: re.Pattern[str], text: str) -> bool:
    for hit in pattern.finditer(text):
        before = text[: hit.start()].split()
        if not before or before[-1] not in _POSSESSORS:
            return True
    return False


# Function words the analyzer keeps (it serves the unit ranker too) but that name no behaviour; the
# last ones ask what form a rule takes or where it is set ("bentuknya kayak apa, diatur di pp berapa").
_FUNCTION_WORDS = frozenset(
    {"bagi", "agar", "supaya", "kepada", "terhadap", "secara", "apabila"}
    | {"berapa", "kayak", "seperti", "bentuk", "bentuknya", "diatur"}
    # The verdict asked for, in its other forms ("boleh" itself is a stopword): "apakah PNS
    # diperbolehkan …" asks the question, it does not name an act, yet stemmed to "boleh" it matched
    # every entry whose explanation says what is allowed.
    | {"diperbolehkan", "dibolehkan", "memperbolehkan", "diperkenankan", "permitted", "dilarang", "terlarang"}
    | {"forbidden", "prohibited"}
    # "is it ok …", "is that legal?": the verdict asked for, in chat and English.
    | {"ok", "okay", "oke", "okey", "legal"}
    # English particles that name no act ("set up a party", "so the party passes").
    | {"so", "up"}
    # "maju lagi", "lagi kampanye": again / in the middle of, never the act itself.
    | {"lagi"}
)
_REDUPLICATED_VERBS = frozenset({"bagi"})
# Multi-word function phrases: "salah satu calon" is "a candidate" ("salah" alone asks "is it wrong").
_FUNCTION_PHRASES = re.compile(r"\b(salah satu|one of|apa pun|apapun|sama sekali)\b")
# Greetings and politeness around a question ("pagi kak, …", "… makasih ya").
GREETINGS = frozenset(
    {
        "halo",
        "hallo",
        "hai",
        "hi",
        "hello",
        "pagi",
        "siang",
        "sore",
        "malam",
        "selamat",
        "kak",
        "kakak",
        "bang",
        "gan",
        "sis",
        "bro",
        "permisi",
        "numpang",
        "makasih",
        "terima",
        "kasih",
        "terimakasih",
        "thanks",
        "thank",
        "thx",
        "tq",
        "maaf",
        "sorry",
        "assalamualaikum",
        "salam",
        "good",
        "morning",
        "afternoon",
        "evening",
        "dear",
        "sir",
        "madam",
        "mohon",
        "info",
        "infonya",
        "pencerahan",
        "pencerahannya",
        "bantu",
        "jawab",
    }
)
NEUTRAL = STOPWORDS | SUBJECT_WORDS | CONSEQUENCE_WORDS | _FUNCTION_WORDS | GREETINGS


@dataclass(frozen=True)
class MatchWeights:
    lexical: float = 0.6
    dense: float = 0.4
    # e5-small puts unrelated questions at ~0.75-0.80 cosine and paraphrases at ~0.88-0.95.
    dense_floor: float = 0.80
    dense_ceiling: float = 0.94
    # Credit for a question word reached only through a typo fix or a lexicon synonym.
    indirect: float = 0.8
    # A word found once in an entry counts a little less than one its phrasings repeat.
    single_mention: float = 0.75
    # The share of the lexical score that comes from the entry's single closest phrasing.
    phrase_share: float = 0.5
    # A long question (a story) is read by how much of a phrasing it covers, not how much of the story
    # the phrasing covers: each phrasing's words' weight, but at least ``story_floor`` times the weight
    # of the question's average word, so a one-word term is not "fully covered".
    story_words: int = 10
    story_floor: float = 6.0
    # An entry's situation_with word must be this close (in words) to the situation word it completes:
    # "adik saya nyaleg" names a relative who is a candidate; "minta adik & sepupu nyoblos caleg kenalan
    # saya" names relatives and a candidate who is not one of them.
    situation_window: int = 4


def word_positions(tokens: Sequence[str]) -> dict[str, list[int]]:
    """Where each word stands, typed or without a possessive suffix ("suaminya", "istriku"); not by
    its stem, which would make "rumahnya" name the situation "serumah"."""
    out: dict[str, list[int]] = {}
    for k, t in enumerate(tokens):
        out.setdefault(t, []).append(k)
        for x in _POSSESSIVE:
            if t.endswith(x) and len(t) > len(x) + 2:
                out.setdefault(t[: -len(x)], []).append(k)
    return out


def situation_beside(
    named: Sequence[str], companions: frozenset[str], positions: dict[str, list[int]], window: int
) -> bool:
    """Whether a companion word stands within ``window`` words of a named situation word (a phrase that
    holds a companion itself, "bapak saya calon", completes itself)."""
    near = [k for c in companions for k in positions.get(c, ())]
    if not near:
        return False
    for s in named:
        parts = s.split()
        if set(parts) & companions:
            return True
        if any(abs(k - j) <= window + len(parts) - 1 for k in positions.get(parts[0], ()) for j in near):
            return True
    return False


@dataclass(frozen=True)
class Match:
    behaviour: Behaviour
    score: float
    lexical: float
    dense: float
    situation_named: bool
    matched: tuple[str, ...]  # the question's words the entry covers, for --explain
    situations: tuple[str, ...] = ()  # which of the entry's situation words the question names
    condition_met: bool = False  # the question says the entry's condition is met (its met_when)
    asker_acts: bool = False  # the asker does the act this entry has someone else do (its others_act)
    condition_unmet: bool = False  # the question says the entry's condition is not met yet (its unmet_when)


def behaviour_text(b: Behaviour) -> str:
    """Everything the lexical side of an entry knows (ingest tokenises this once)."""
    parts = [b.title.id, b.title.id, b.title.en, b.explanation.id, b.explanation.en, *b.examples]
    parts += [*b.terms, *b.terms, *b.situation]
    parts += [c.id for c in b.conditions]
    return "\n".join(parts)


def phrasings(b: Behaviour) -> list[str]:
    """The texts whose embeddings stand for an entry on the dense side."""
    return [b.title.id, b.title.en, *b.examples]


def phrase_tokens(b: Behaviour, analyzer: Analyzer) -> list[list[str]]:
    """Each distinct phrasing's (and term's) tokens, read like a question: the lexical side's "closest
    single phrasing". Ingest stores them, since folding three thousand phrasings costs a tenth of a
    second of every start-up."""
    return [sorted(set(analyzer.tokens(prepare(p)))) for p in dict.fromkeys((*phrasings(b), *b.terms))]


class BehaviourMatcher:
    def __init__(
        self,
        behaviours: Sequence[Behaviour],
        tokens: Sequence[Sequence[str]],
        analyzer: Analyzer,
        vectors: np.ndarray | None = None,
        owners: np.ndarray | None = None,
        weights: MatchWeights | None = None,
        phrases: Sequence[Sequence[Sequence[str]]] | None = None,
    ) -> None:
        self.behaviours = list(behaviours)
        self.analyzer = analyzer
        self.weights = weights or MatchWeights()
        self.tf = [Counter(t) for t in tokens]
        df: Counter[str] = Counter()
        for tf in self.tf:
            df.update(tf.keys())
        n = max(len(self.behaviours), 1)
        self.idf = {t: math.log(1 + n / f) for t, f in df.items()}
        self.idf_unknown = math.log(1 + n)  # a word no entry has: as rare as can be
        # Which entries hold a token: a question word visits those entries only, not all of them.
        self._postings: dict[str, list[int]] = {}
        for i, tf in enumerate(self.tf):
            for t in tf:
                self._postings.setdefault(t, []).append(i)
        # Typo candidates by first letter and length: a typo rarely hits the first letter, and
        # difflib over the whole vocabulary costs tens of milliseconds per word.
        self._vocab: dict[tuple[str, int], list[str]] = {}
        for t in sorted(self.idf):
            if len(t) >= 3 and not t.isdigit():
                self._vocab.setdefault((t[0], len(t)), []).append(t)
        self._fixes: dict[str, str] = {}
        self.vectors = vectors
        self.owners = owners
        # Read like questions are (chat spellings too: "ig" is "instagram", "pppk" keeps its three p's).
        self._situations = [[prepare(s) for s in b.situation if prepare(s)] for b in self.behaviours]
        self._all_situations = sorted({s for entry in self._situations for s in entry})
        self._situation_with = [
            frozenset(prepare(s) for s in b.situation_with if prepare(s)) for b in self.behaviours
        ]
        # The words situations are told with, for reading a typo'd one ("suamii", "cpnss").
        self._situation_vocab = sorted(
            {t for s in self._all_situations for t in s.split()}
            | {t for w in self._situation_with for s in w for t in s.split()}
        )
        self._situation_known = frozenset(self._situation_vocab)
        self._situation_fixes: dict[str, str] = {}
        # Groups the rules apply to as they stand (an informational group entry: PPPK), unlike groups
        # with rules of their own (honorer, retirees), whose words change the answer.
        self._group_entries = frozenset(
            i for i, b in enumerate(self.behaviours) if b.group_rule and b.verdict == "informasi"
        )
        self._met = [[prepare(s) for s in b.met_when if prepare(s)] for b in self.behaviours]
        self._unmet = [[prepare(s) for s in b.unmet_when if prepare(s)] for b in self.behaviours]
        self._self_act = [asker_does(b.others_act) for b in self.behaviours]
        # Each phrasing's own tokens: stored by ingest (``phrases``), else read here.
        if phrases is None or len(phrases) != len(self.behaviours):
            phrases = [phrase_tokens(b, analyzer) for b in self.behaviours]
        self._phrases = [[set(p) for p in entry] for entry in phrases]
        # Each phrasing's IDF weight, for reading a story (see MatchWeights.story_words).
        self._phrase_mass = [[sum(self.idf.get(t, 0.0) for t in p) for p in entry] for entry in self._phrases]
        # Per entry, which of its phrasings hold a token.
        self._phrase_postings: list[dict[str, list[int]]] = []
        for entry_phrases in self._phrases:
            post: dict[str, list[int]] = {}
            for j, one_phrase in enumerate(entry_phrases):
                for token in one_phrase:
                    post.setdefault(token, []).append(j)
            self._phrase_postings.append(post)

    def __len__(self) -> int:
        return len(self.behaviours)

    # ------------------------------------------------------------------ public
    def match(self, question: str, query_vector: Sequence[float] | None = None) -> list[Match]:
        """Every entry with its scores, best first."""
        if not self.behaviours:
            return []
        text = prepare(question)
        words = self._content_words(text)
        lexical, matched = self._lexical(text, words)
        dense = self._dense(query_vector)
        has_dense = query_vector is not None and self.vectors is not None and len(self.vectors) > 0
        # "pasangan calon" is a candidate pair (paslon), not the asker's spouse ("pasangan saya").
        situation_text = text.replace("pasangan calon", "paslon")
        padded = f" {situation_text} "
        tokens = situation_text.split()
        fixed = [self._situation_word(t) for t in tokens]
        positions = word_positions(tokens)
        if fixed != tokens:
            for t, ks in word_positions(fixed).items():
                positions.setdefault(t, []).extend(k for k in ks if k not in positions.get(t, ()))
        padded_fixed = f" {' '.join(fixed)} "
        typed = set(positions)
        # "SK-nya belum berlaku" says the condition is not met yet; "saya masih PNS" that it is not the
        # asker's.
        unmet = _NOT_YET.search(situation_text) or _ASKER_IS_ASN.search(situation_text)
        # Each situation phrase is looked for once per question, not once per entry that lists it.
        present = {
            s
            for s in self._all_situations
            if (s in typed if " " not in s else f" {s} " in padded or f" {s} " in padded_fixed)
        }
        # "bolehkah PPPK paruh waktu ikut kampanye": a group the rules apply to as they stand says who
        # asks, like "PNS" does; for every other entry its words neither help nor hurt, or the act's
        # entry loses to the group's.
        group_words = {
            t for i in self._group_entries for s in self._situations[i] if s in present for t in s.split()
        }
        act_words = [x for x in words if x not in group_words]
        if group_words and act_words and len(act_words) < len(words):
            act_lexical, act_matched = self._lexical(text, act_words)
            for i in range(len(self.behaviours)):
                if i not in self._group_entries:
                    lexical[i], matched[i] = act_lexical[i], act_matched[i]
        w = self.weights
        out = []
        for i, b in enumerate(self.behaviours):
            named_words = tuple(s for s in self._situations[i] if s in present) if present else ()
            if (
                named_words
                and self._situation_with[i]
                and not situation_beside(named_words, self._situation_with[i], positions, w.situation_window)
            ):
                named_words = ()
            # "istri saya caleg, saya PNS pasang baliho": the spouse is named, but the act is the asker's.
            self_act = self._self_act[i]
            asker_acts = (
                bool(named_words) and self_act is not None and says_asker_does(self_act, situation_text)
            )
            if asker_acts:
                named_words = ()
            named = bool(named_words)
            score = (w.lexical * lexical[i] + w.dense * dense[i]) if has_dense else lexical[i]
            not_yet = any(f" {p} " in padded for p in self._unmet[i])
            met = unmet is None and not not_yet and any(f" {p} " in padded for p in self._met[i])
            out.append(
                Match(
                    b,
                    score,
                    lexical[i],
                    dense[i],
                    named,
                    tuple(matched[i]),
                    named_words,
                    met,
                    asker_acts,
                    not_yet,
                )
            )
        out.sort(key=lambda m: (-m.score, m.behaviour.id))
        return out

    def content_words(self, question: str) -> list[str]:
        """The words of a question that can name a behaviour (what the lexical score divides by)."""
        return self._content_words(prepare(question))

    # ------------------------------------------------------------------ lexical
    def _content_words(self, text: str) -> list[str]:
        text = _FUNCTION_PHRASES.sub(" ", text)
        tokens = text.split()
        # A function word said twice is a verb: "bagi-bagi stiker" distributes stickers.
        verbs = {a for a, b in itertools.pairwise(tokens) if a == b and a in _REDUPLICATED_VERBS}
        return [
            t
            for t in dict.fromkeys(tokens)
            if len(t) > 1 and (t not in NEUTRAL or t in verbs) and not t.isdigit()
        ]

    def _lexical(self, text: str, words: list[str]) -> tuple[list[float], list[list[str]]]:
        """Per entry: half the coverage by its whole vocabulary, half by its closest single phrasing
        (so an entry with many words does not win on the union of unrelated examples)."""
        stem = self.analyzer.stemmer.stem
        # Synonyms: the lexicon's other members of every group a question word belongs to.
        synonyms: dict[str, set[str]] = {}
        for member, others in self.analyzer.lexicon.expansions(text):
            targets = {stem(t) for o in others for t in o.split() if t not in STOPWORDS}
            for word in member.split():
                synonyms.setdefault(word, set()).update(targets)
        n = len(self.behaviours)
        union = [0.0] * n
        phrase: list[dict[int, float]] = [{} for _ in range(n)]
        matched: list[list[str]] = [[] for _ in range(n)]
        total = 0.0
        w = self.weights
        for word in words:
            s = stem(word)
            known = s if s in self.idf else (word if word in self.idf else None)
            fix = None if known else self._fix(word, s)
            alternatives = synonyms.get(word, set()) & self.idf.keys()
            indirect = ({fix} if fix else set()) | alternatives
            if known:
                idf = self.idf[known]
            elif indirect:
                idf = max(self.idf[a] for a in indirect)
            else:
                idf = self.idf_unknown
            total += idf
            direct = set(self._postings.get(known, ())) if known else set()
            reached = {i for a in indirect for i in self._postings.get(a, ())}
            for i in sorted(direct | reached):
                credit = 0.0
                if i in direct:
                    credit = 1.0 if self.tf[i][known] > 1 else w.single_mention  # type: ignore[index]
                if credit < w.indirect and i in reached:
                    credit = w.indirect
                union[i] += credit * idf
                matched[i].append(word)
                post = self._phrase_postings[i]
                exact = set(post.get(known, ())) if known else set()
                near = {j for a in indirect for j in post.get(a, ())} - exact
                got = phrase[i]
                for j in exact:
                    got[j] = got.get(j, 0.0) + idf
                for j in near:
                    got[j] = got.get(j, 0.0) + w.indirect * idf
        if total <= 0:
            return [0.0] * n, matched
        if len(words) >= w.story_words:
            floor = w.story_floor * total / len(words)
            scores = [
                (1 - w.phrase_share) * union[i] / total
                + w.phrase_share
                * max(
                    (
                        min(1.0, got / min(total, max(self._phrase_mass[i][j], floor)))
                        for j, got in phrase[i].items()
                    ),
                    default=0.0,
                )
                for i in range(n)
            ]
            return scores, matched
        scores = [
            (1 - w.phrase_share) * union[i] / total
            + w.phrase_share * max(phrase[i].values(), default=0.0) / total
            for i in range(n)
        ]
        return scores, matched

    def _fix(self, word: str, stemmed: str) -> str | None:
        """The catalogue word a typo most likely meant ("clon" → "calon"), or None."""
        if len(word) < 4:
            return None
        hit = self._fixes.get(word)
        if hit is None:
            cutoff = 0.8 if len(word) >= 6 else 0.75
            close = difflib.get_close_matches(
                stemmed, self._candidates(stemmed), n=1, cutoff=cutoff
            ) or difflib.get_close_matches(word, self._candidates(word), n=1, cutoff=cutoff)
            hit = close[0] if close else ""
            self._fixes[word] = hit
        return hit or None

    def _situation_word(self, word: str) -> str:
        """The situation word a typo'd one meant ("suamii" → "suami", "cpnss" → "cpns"), else the word
        itself: its stem when that is a situation word, else, for a word with no affix to strip
        ("pasangkan", to put up, is not "pasangan"; "pejabat" is not "penjabat"), a situation word one
        slip away that is not a changed letter ("kakek" is not "kakak", "university" not "universitas")."""
        if len(word) < 5 or word in self._situation_known:
            return word
        hit = self._situation_fixes.get(word)
        if hit is None:
            hit = ""
            stem = self.analyzer.stemmer.stem(word)
            if stem in self._situation_known:
                hit = stem  # "suamii" read as "suami" + "-i"
            elif stem == word:
                hit = next((v for v in self._situation_vocab if slip_keeping_letters(word, v)), "")
            self._situation_fixes[word] = hit
        return hit or word

    def _candidates(self, word: str) -> list[str]:
        if not word:
            return []
        return [t for n in range(len(word) - 2, len(word) + 3) for t in self._vocab.get((word[0], n), ())]

    def known(self, word: str) -> bool:
        return word in self.idf or self.analyzer.stemmer.stem(word) in self.idf

    def entries_with(self, token: str) -> int:
        """How many entries' vocabulary holds ``token`` (one, for a misspelling an example spells out)."""
        return len(self._postings.get(token, ()))

    # ------------------------------------------------------------------ dense
    def _dense(self, query_vector: Sequence[float] | None) -> list[float]:
        n = len(self.behaviours)
        if query_vector is None or self.vectors is None or self.owners is None or not len(self.vectors):
            return [0.0] * n
        q = np.asarray(query_vector, dtype=np.float32)
        norm = float(np.linalg.norm(q)) or 1.0
        sims = self.vectors @ (q / norm)
        best = np.full(n, -1.0, dtype=np.float32)
        np.maximum.at(best, self.owners, sims)
        w = self.weights
        span = w.dense_ceiling - w.dense_floor
        return [float(x) for x in np.clip((best - w.dense_floor) / span, 0.0, 1.0)]
