"""The verdict rules: a pure function from a small evidence record to a decision.

Rules, in order (the first that applies decides; its name is Decision.rule):
  out-of-scope     the question is not about ASN conduct or elections at all → di_luar_cakupan
  explicit         names an article or instrument and does not ask "may I" → informasi from units
  factual          asks for information (which article, where to report, still in force?) →
                   informasi, grounded on an `informasi` entry when one matches (on a `boleh` entry
                   that beats it by `factual_margin`: where to report is told by "reporting is
                   allowed"), else on units
  sanction-of-act  a factual question about the sanction of an act that an entry matches better than
                   any informational entry → that entry (never a "boleh" entry)
  conditions-of-act  likewise for the conditions of a conditional act ("when must I resign?")
  abstain          no applicable entry reaches `match` (`match_long` for a question of `long_question`
                   content words or more, `match_story` for a "may I" question of `story_question`
                   or more) → no verdict is borrowed: tidak_jelas,
                   "no specific rule found" — for a "may I" question; any other question is answered
                   from the units (rule factual)
  asymmetric-risk  the best entry says boleh but a prohibition (or a disputed point) scores within
                   `boleh_margin` of it → tidak_jelas, both readings shown
  weak-boleh       the best entry says boleh but matches below `boleh_min` → tidak_jelas: a wrong
                   "boleh" costs the most, so it needs a clear match
  condition-breached  the best entry is conditional but the question says the act is meant to favour
                   (or harm) a candidate: the act is allowed only when neutral → dilarang
  condition-unmet  the best entry is conditional (or disputed) and the question says its condition is
                   not met (the entry's unmet_when: "masih MPP", "tanpa mundur") → dilarang
  condition-met    the best entry is conditional, matches at boleh_min or more, and the question says its
                   condition is met (the entry's met_when, not negated by "belum") → boleh
  best-match       otherwise the best applicable entry's verdict
A question naming two acts is decided per clause by the answerer (rag/answer_extractive.py), the
strictest part's verdict first; its one rule over parts, part-unmatched: a boleh whose question has a
later clause asking about an act that matches no entry becomes tidak_jelas, that clause named.
Situational entries (a spouse who is a candidate, an incumbent, official duty, CLTN, non-ASN staff)
apply only when the question names their situation. A named exception then beats the general rule it
narrows (its `general` entries) when it scores within `situational_bonus` of it, and gains nothing
over other entries: "mencalonkan diri sebagai kepala desa" names the village-head situation of
"a kades favouring a candidate", yet that entry does not narrow "running in a village election".
An exception that names no general rule may beat any non-situational entry that way, never another
exception (two spouse entries compete on their scores alone). A group's entry (PPPK, honorer,
retirees) is context for the act's answer and gets no such bonus, unless the question says its
condition is met ("SK pensiunnya sudah berlaku").
"""

from __future__ import annotations

from dataclasses import dataclass

from rag.behaviours import BehaviourVerdict
from rag.types import Verdict


@dataclass(frozen=True)
class Thresholds:
    match: float = 0.5  # the least score at which an entry is the behaviour asked about
    # A question of many content words (a story told before the question) dilutes every entry's
    # lexical coverage with words about the setting ("dia sahabat saya dari SMA"), so it needs less.
    long_question: int = 10
    match_long: float = 0.45
    # A "may I" question after a whole story ("I'm a kabid; on Saturday I'll take the official car to
    # the rally and bring five of my staff…") dilutes it further. Only there: a question that asks no
    # "may I" falls back to the units when nothing matches, and a lower bar would make it borrow.
    story_question: int = 15
    match_story: float = 0.43
    situational_bonus: float = 0.08  # a named situation's entry beats the general one within this
    boleh_margin: float = 0.07  # a prohibition this close to a "boleh" best makes the answer tidak_jelas
    boleh_min: float = 0.55  # a "boleh" needs a clear match: below this it is tidak_jelas
    # A factual question is about an act's sanction or conditions when that act's entry beats the best
    # informational entry by this much.
    factual_margin: float = 0.05
    # A second part of a two-part question: a clause whose best entry (on its words alone) scores at
    # least part_clause counts when the whole question ranks that entry among its first part_rank,
    # within part_margin of the answered one.
    part_clause: float = 0.3
    part_rank: int = 3
    part_margin: float = 0.05
    # … and further down (part_rank_stricter, part_margin_stricter) for an entry stricter than the answer
    # so far: a forbidden second act must not be dropped because its clause's words score low.
    part_rank_stricter: int = 5
    part_margin_stricter: float = 0.15


_EPSILON = 1e-6


@dataclass(frozen=True)
class Candidate:
    id: str
    verdict: BehaviourVerdict
    score: float
    situational: bool = False
    situation_named: bool = False
    general: tuple[str, ...] = ()  # ids of the entries this one is an exception to / narrows
    named: tuple[str, ...] = ()  # the situation words of this entry the question names
    # How the rules apply to a group (PPPK, honorer): context for an act's answer, not an exception to it.
    group: bool = False
    condition_met: bool = False  # the question says this (bersyarat) entry's condition is met
    condition_unmet: bool = False  # the question says this (bersyarat) entry's condition is not met yet


@dataclass(frozen=True)
class Evidence:
    candidates: tuple[Candidate, ...]  # any order
    in_scope: bool = True
    explicit_reference: bool = False  # the question names an article or an instrument
    factual: bool = False  # asks for information, not whether an act is allowed
    asks_sanction: bool = False  # asks what the sanction / consequence of an act is
    permission: bool = False  # asks "may I ..."
    favouring: bool = False  # says the act is meant to favour or harm a candidate
    words: int = 0  # the question's content words (rag.behaviour_match), for the long-question threshold


def match_threshold(evidence: Evidence, t: Thresholds) -> float:
    """The least score at which an entry is the behaviour asked about, for this question."""
    if evidence.words >= t.story_question and evidence.permission:
        return t.match_story
    return t.match_long if evidence.words >= t.long_question else t.match


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    rule: str
    behaviours: tuple[str, ...] = ()  # the deciding entry first; for asymmetric-risk the rival too
    abstained: bool = False
    scores: tuple[float, ...] = ()  # effective scores of ``behaviours``


def applicable(evidence: Evidence, t: Thresholds) -> list[tuple[Candidate, float]]:
    """The entries that apply to the question, with their effective scores, best first."""
    general_rules = [c for c in evidence.candidates if not c.situational]
    by_id = {c.id: c for c in evidence.candidates}
    out = []
    for c in evidence.candidates:
        if c.situational and not c.situation_named:
            continue
        effective = c.score
        # A group entry is context for the act's answer, unless the question says its condition is met
        # ("SK pensiunnya sudah berlaku"): then it changes the answer as an exception does.
        if c.situational and (not c.group or c.condition_met):
            # The rules it may beat: those it narrows, or (an entry naming none) any general rule.
            narrowed = [by_id[g] for g in c.general if g in by_id] if c.general else general_rules
            rivals = [
                r.score
                for r in narrowed
                if c.score <= r.score <= c.score + t.situational_bonus
                # Narrowing an exception takes a situation of its own: "with party attributes" beats
                # "attending the spouse's campaign" only when the attributes, not just the spouse, are named.
                and (not r.situational or set(c.named) - set(r.named))
            ]
            if rivals:
                # Just above the rule it narrows, not above everything else.
                effective = max(rivals) + _EPSILON
        out.append((c, effective))
    out.sort(key=lambda cs: (-cs[1], cs[0].id))
    return out


def decide(evidence: Evidence, t: Thresholds | None = None) -> Decision:
    t = t or Thresholds()
    if not evidence.in_scope:
        return Decision("di_luar_cakupan", "out-of-scope")
    if evidence.explicit_reference and not evidence.permission:
        return Decision("informasi", "explicit")
    ranked = applicable(evidence, t)
    least = match_threshold(evidence, t)
    if evidence.factual:
        info = next(((c, s) for c, s in ranked if c.verdict == "informasi" and s >= least), None)
        # A sanction is asked about a forbidden act; conditions about a conditional one.
        wanted = "dilarang" if evidence.asks_sanction else "bersyarat"
        conduct = next(((c, s) for c, s in ranked if c.verdict in ("dilarang", "bersyarat")), None)
        if (
            conduct is not None
            and conduct[0].verdict == wanted
            and conduct[1] >= least
            and (info is None or conduct[1] > info[1] + t.factual_margin)
        ):
            # "What is the sanction for <act>?" / "When must I resign to run?": that act's entry.
            rule = "sanction-of-act" if evidence.asks_sanction else "conditions-of-act"
            return Decision(conduct[0].verdict, rule, (conduct[0].id,), scores=(conduct[1],))
        group = ranked[0] if ranked else None
        if (
            group is not None
            and group[0].situational
            and group[1] >= least
            and (info is None or group[1] > info[1] + t.factual_margin)
        ):
            # "Do the rules apply to honorer / CPNS / part-time PPPK?": the question names the group an
            # entry is about, and that entry is the clearest match; its verdict is the answer.
            return Decision(group[0].verdict, "group-named", (group[0].id,), scores=(group[1],))
        top = ranked[0] if ranked else None
        if (
            top is not None
            and top[0].verdict == "boleh"
            and top[1] >= least
            and (info is None or top[1] > info[1] + t.factual_margin)
        ):
            # "Where do I report an ASN who campaigns?" is best told by the entry allowing the report,
            # which says where; the question asked no permission, so the verdict stays informasi.
            info = top
        if info is not None:
            return Decision("informasi", "factual", (info[0].id,), scores=(info[1],))
        return Decision("informasi", "factual")
    if not ranked or ranked[0][1] < least:
        if not evidence.permission:
            # Not "may I …" ("what are the sanctions for …", "is KASN still there?") about no act we
            # know: the units themselves answer; there is no verdict to borrow.
            return Decision("informasi", "factual")
        return Decision("tidak_jelas", "abstain", abstained=True)
    best, score = ranked[0]
    if best.verdict == "boleh" and score < t.boleh_min:
        rival = next((c for c, _ in ranked[1:] if c.verdict in ("dilarang", "tidak_jelas")), None)
        ids = (best.id, rival.id) if rival else (best.id,)
        return Decision("tidak_jelas", "weak-boleh", ids, scores=(score,))
    if best.verdict == "boleh":
        for rival, rival_score in ranked[1:]:
            if rival_score < score - t.boleh_margin:
                break
            if rival.verdict in ("dilarang", "tidak_jelas"):
                return Decision(
                    "tidak_jelas", "asymmetric-risk", (best.id, rival.id), scores=(score, rival_score)
                )
    if best.verdict == "bersyarat" and evidence.favouring:
        # A conditional entry allows the act only when it stays neutral; the asker says it does not.
        return Decision("dilarang", "condition-breached", (best.id,), scores=(score,))
    if best.verdict in ("bersyarat", "tidak_jelas") and best.condition_unmet:
        # The question says the condition that would allow the act is not met yet ("masih MPP"): the
        # prohibition it would lift still applies. A disputed entry may name one too: what is unsettled
        # is how or when to meet a requirement (when a PPPK must resign to run), never skipping it.
        return Decision("dilarang", "condition-unmet", (best.id,), scores=(score,))
    if best.verdict == "bersyarat" and best.condition_met and score >= t.boleh_min:
        # The question itself states the condition that makes the act allowed ("the pension decree is
        # already in force"): boleh. The prohibitions close by are the ones the condition lifts, so the
        # asymmetric-risk margin does not apply; a clear match (boleh_min) still does.
        return Decision("boleh", "condition-met", (best.id,), scores=(score,))
    return Decision(best.verdict, "best-match", (best.id,), scores=(score,))
