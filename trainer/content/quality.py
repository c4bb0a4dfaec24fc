"""Item-writing rules: what a test-wise learner could exploit, and what a careful writer would fix.

``trainer check`` runs these on top of the loader's schema checks. The loader already reports a
question's option count against its type (four for single; at least five for multiple), a link
to a card that does not exist and a reference to a host outside :data:`AWS_DOC_HOSTS`; the rules
here add what needs the whole file or the whole bank, or a closer look at the text:

- the **longest-option cue** (:func:`cue_rate`): in well-written items the correct option is the
  longest no more often than chance (25 % for four options). A file above :data:`MAX_CUE_RATE`
  is an error, naming the cued questions; a file with fewer than :data:`MIN_CUE_SAMPLE` single-
  answer questions only gets a warning, since a rate over three items is mostly chance. The bank
  as a whole above the target is an error too, so many small files cannot hide the cue; the
  reverse cue (the correct option the shortest) above the same rate is a warning;
- **"choose N" wording** (:func:`stated_choice`) that disagrees with the number of correct
  options, or a multiple-response question that does not say how many to pick;
- **option counts** the loader lets through: a multiple-response question has 5 or 6 options;
- **near-duplicate** stems and card fronts+backs (:func:`near_duplicates`), see there for the
  measure and the thresholds;
- **references** whose page is not documentation: on aws.amazon.com only the blogs, What's New,
  and a service's pricing or FAQ pages count (:data:`AWS_SITE_PATHS`); other hosts must be
  exactly one of :data:`AWS_DOC_HOSTS` (the loader accepts any sub-domain, such as the console).

Errors make ``trainer check`` exit 1; warnings are printed for the writer's judgement. Every
rule is a pure function of the loaded :class:`Bank`, so tests build small banks from YAML.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations
from urllib.parse import urlparse

from trainer.content.model import AWS_DOC_HOSTS, AWS_SITE_PATHS, Bank, Card, Problem, Question

# -- thresholds -----------------------------------------------------------------------------------

MAX_CUE_RATE = 0.30  # issue 11's target; chance is 0.25 with four options
# With four options of different lengths, two are "in the middle": by chance the correct one is
# neither the longest nor the shortest in half the questions. A bank that avoided both cues too
# well teaches "rule out the longest and the shortest", which doubles a guesser's odds to 1 in 2
# when the share reaches 100 %. Above 65 % (a guesser's 1 in 3) the check warns.
MAX_MIDDLE_RATE = 0.65
MIN_CUE_SAMPLE = 5  # single-answer questions a file needs before its cue rate is an error
MULTIPLE_OPTIONS = (5, 6)

# Near-duplicate thresholds on TF-IDF cosine (see near_duplicates), calibrated on the bank the
# review read against its list of duplicates (content-review.md section 7). Stems: the review's
# pairs that share wording scored 0.44-0.50 and the highest distinct pair 0.42. Cards: the review's
# pairs scored 0.52-0.78, distinct cards up to 0.57 once pairs stating different figures are set
# aside. So a warning starts in the band where a writer should look (some distinct pairs land
# there too), and an error only where every pair seen was a restatement of the same fact.
# Paraphrases that share no wording (half the review's pairs) score 0.05-0.3: no lexical
# measure sees them, so merging those stays a reviewer's job.
STEM_WARN = 0.43
STEM_ERROR = 0.60
CARD_WARN = 0.50
CARD_ERROR = 0.70
# Prefilter: two items are scored only if they share a token that at most this share of the
# items contain (or two). Words such as "function" or "Lambda" link nearly every pair and weigh
# little; at 5 % the pairs found on the bank at the thresholds above are the same as with no
# prefilter at all, and about a sixth of the pairs are scored.
# An item's few heaviest tokens are indexed too, so two texts made only of common words (rare in
# a real bank, common in small test banks) still meet.
RARE_SHARE = 0.05
TOP_TOKENS = 3

_CHOICE_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "2": 2, "3": 3, "4": 4, "5": 5}
# "(Choose two.)", "Choose TWO", "Select three": any case. "Which TWO ..." only in capitals, the
# exam's style, so that "which two subnets to use" inside a scenario is not read as an instruction.
_CHOOSE = re.compile(r"\b(?:choose|select)\s+(two|three|four|five|[2-5])\b", re.IGNORECASE)
_WHICH = re.compile(r"\bwhich\s+(TWO|THREE|FOUR|FIVE)\b", re.IGNORECASE)
_CHOOSE_SUFFIX = re.compile(r"\(\s*(?:choose|select)\s+\w+\s*\.?\s*\)", re.IGNORECASE)
_TOKEN = re.compile(r"[a-z0-9$/]+(?:[.'\-][a-z0-9]+)*")
_FIGURE = re.compile(r"\d[\d,]*(?:\.\d+)?")
_STOP = frozenset(
    "a an the of to and or in on for is are be by with that this it its as at from which what when "
    "how should can do does not no their they them each one into than then so if any all was were "
    "has have had will would must may after before about choose select statements statement correct "
    "true accurate following".split()
)


# -- small records ----------------------------------------------------------------------------------


@dataclass
class QualityReport:
    """What the rules found: errors fail ``trainer check``, warnings are advice."""

    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def extend(self, other: QualityReport) -> None:
        self.errors.extend(other.errors)
        self.warnings.extend(other.warnings)


@dataclass(frozen=True)
class CueRate:
    """Single-answer questions whose correct option is (one of) the longest, by characters."""

    singles: int
    cued: tuple[str, ...]

    @property
    def rate(self) -> float:
        return len(self.cued) / self.singles if self.singles else 0.0


@dataclass(frozen=True)
class SimilarPair:
    """Two items whose texts score ``score`` (TF-IDF cosine); ``first`` comes first in the bank."""

    first: str
    second: str
    score: float


def _where(item: Card | Question) -> tuple[str, int]:
    path, _, line = item.source.rpartition(":")
    return path, int(line) if line.isdigit() else 0


def _problem(item: Card | Question, message: str) -> Problem:
    path, line = _where(item)
    return Problem(path, line, f"{item.id}: {message}")


# -- the longest-option cue ---------------------------------------------------------------------------


def longest_is_correct(question: Question) -> bool:
    """True when a single-answer question's correct option is at least as long as every other.

    Ties count: a learner who picks the longest option then has the answer among the few tied.
    """
    if question.type != "single" or len(question.answer) != 1 or not question.options:
        return False
    lengths = [len(o.text.strip()) for o in question.options]
    return lengths[question.answer[0]] >= max(lengths)


def shortest_is_correct(question: Question) -> bool:
    """The reverse cue: the correct option is at most as long as every other. Cutting answers down
    to beat the longest-option cue can overshoot into this one."""
    if question.type != "single" or len(question.answer) != 1 or not question.options:
        return False
    lengths = [len(o.text.strip()) for o in question.options]
    return lengths[question.answer[0]] <= min(lengths)


def middle_is_correct(question: Question) -> bool:
    """The third cue: the correct option is neither (one of) the longest nor the shortest."""
    if question.type != "single" or len(question.answer) != 1 or not question.options:
        return False
    return not longest_is_correct(question) and not shortest_is_correct(question)


def middle_rate(questions: Iterable[Question]) -> CueRate:
    """Single-answer questions whose correct option is neither the longest nor the shortest."""
    singles = [q for q in questions if q.type == "single" and q.options and len(q.answer) == 1]
    return CueRate(len(singles), tuple(q.id for q in singles if middle_is_correct(q)))


def cue_rate(questions: Iterable[Question], shortest: bool = False) -> CueRate:
    """The longest-option cue (with ``shortest``, the shortest-option cue) over single-answer questions."""
    singles = [q for q in questions if q.type == "single" and q.options and len(q.answer) == 1]
    cued = shortest_is_correct if shortest else longest_is_correct
    return CueRate(len(singles), tuple(q.id for q in singles if cued(q)))


def cue_rule(bank: Bank) -> QualityReport:
    report = QualityReport()
    by_file: dict[str, list[Question]] = defaultdict(list)
    for q in bank.questions.values():
        by_file[_where(q)[0]].append(q)
    for path, questions in by_file.items():
        cue = cue_rate(questions)
        if cue.rate <= MAX_CUE_RATE:
            continue
        line = min(_where(q)[1] for q in questions)
        message = (
            f"the correct option is the longest in {len(cue.cued)} of {cue.singles} single-answer "
            f"questions ({cue.rate:.0%}; at most {MAX_CUE_RATE:.0%}): lengthen a distractor or "
            f"tighten the answer in {', '.join(cue.cued)}"
        )
        target = report.errors if cue.singles >= MIN_CUE_SAMPLE else report.warnings
        target.append(Problem(path, line, message))
    reverse = cue_rate(bank.questions.values(), shortest=True)
    if reverse.rate > MAX_CUE_RATE:
        report.warnings.append(
            Problem(
                "",
                0,
                f"across the bank the correct option is the shortest in {len(reverse.cued)} of "
                f"{reverse.singles} single-answer questions ({reverse.rate:.0%}; chance is 25%): a "
                "test-wise learner can game that too; give some correct answers their full length",
            )
        )
    middle = middle_rate(bank.questions.values())
    if middle.rate > MAX_MIDDLE_RATE:
        report.warnings.append(
            Problem(
                "",
                0,
                f"across the bank the correct option is neither the longest nor the shortest in "
                f"{len(middle.cued)} of {middle.singles} single-answer questions ({middle.rate:.0%}; "
                f"chance is 50%, at most {MAX_MIDDLE_RATE:.0%}): ruling out the longest and the "
                "shortest option would pay; let some answers be the longest or the shortest",
            )
        )
    whole = cue_rate(bank.questions.values())
    if len(by_file) > 1 and whole.rate > MAX_CUE_RATE:
        report.errors.append(
            Problem(
                "",
                0,
                f"across the bank the correct option is the longest in {len(whole.cued)} of "
                f"{whole.singles} single-answer questions ({whole.rate:.0%}; at most {MAX_CUE_RATE:.0%})",
            )
        )
    return report


# -- "choose N" wording and option counts ---------------------------------------------------------------


def stated_choice(stem: str) -> tuple[int, ...]:
    """Every number of options the stem tells the learner to pick, in order ("Which TWO", "(Choose two.)")."""
    found = [(m.start(), m.group(1)) for m in _CHOOSE.finditer(stem)]
    found += [(m.start(), m.group(1)) for m in _WHICH.finditer(stem) if m.group(1).isupper()]
    found.sort()
    return tuple(dict.fromkeys(_CHOICE_WORDS[w.lower()] for _, w in found))


def choice_rule(bank: Bank) -> QualityReport:
    report = QualityReport()
    for q in bank.questions.values():
        stated = stated_choice(q.stem)
        correct = len(q.answer)
        if q.type == "single" and stated:
            report.errors.append(
                _problem(
                    q,
                    f"the stem says to choose {stated[0]} but the question is single-answer; "
                    "drop the wording or make it a 'multiple' question",
                )
            )
        elif q.type == "multiple":
            if not stated:
                report.errors.append(
                    _problem(
                        q,
                        f"a multiple-response question must say how many to pick: end the stem "
                        f"with '(Choose {_word(correct)}.)'",
                    )
                )
            elif len(stated) > 1:
                report.errors.append(
                    _problem(
                        q,
                        f"the stem says to choose {' and '.join(map(str, stated))} options; "
                        f"say one number ({correct}, the correct options)",
                    )
                )
            elif stated[0] != correct:
                report.errors.append(
                    _problem(
                        q,
                        f"the stem says to choose {stated[0]} but {correct} options are marked "
                        "correct; fix the wording or the answer",
                    )
                )
    return report


def _word(n: int) -> str:
    return {2: "two", 3: "three", 4: "four", 5: "five"}.get(n, str(n))


def option_count_rule(bank: Bank) -> QualityReport:
    """The counts the loader does not check already (it wants four for single, five or more for multiple)."""
    report = QualityReport()
    low, high = MULTIPLE_OPTIONS
    for q in bank.questions.values():
        n = len(q.options)
        if q.type == "multiple" and n > high:
            report.errors.append(
                _problem(
                    q,
                    f"has {n} options; a multiple-response question has {low} or {high}, "
                    f"so drop the {n - high} weakest distractor(s)",
                )
            )
        elif q.type == "multiple" and n and n - len(q.answer) < 2:
            report.errors.append(
                _problem(
                    q,
                    f"{len(q.answer)} of its {n} options are correct; leave at least two "
                    "distractors so the question still discriminates",
                )
            )
    return report


# -- near duplicates ----------------------------------------------------------------------------------


def _tokens(text: str) -> list[str]:
    text = _CHOOSE_SUFFIX.sub(" ", text.lower())
    return [t for t in _TOKEN.findall(text) if t not in _STOP]


def _figures(text: str) -> frozenset[str]:
    return frozenset(f.replace(",", "") for f in _FIGURE.findall(_CHOOSE_SUFFIX.sub(" ", text)))


def near_duplicates(texts: Mapping[str, str], threshold: float) -> list[SimilarPair]:
    """Pairs of texts at or above ``threshold`` TF-IDF cosine similarity, highest first.

    The measure: each text becomes a bag of content words (lower case, numbers kept, stop words
    and the "(Choose two.)" suffix dropped), weighted by (1 + log tf) x smoothed idf,
    ln((1 + n) / (1 + df)) + 1, over the texts being compared; the score is the cosine of two such
    vectors. Idf is why this beats plain Jaccard or difflib here: stems share a lot of exam
    boilerplate ("A developer ... Which configuration ...", "Lambda function") that says nothing
    about the fact tested, and rare words ("orders-dlq-old", "awsvpcConfiguration") say a lot. On
    the review's known duplicates Jaccard of word sets put them below many distinct pairs.

    Pairs whose figures disagree (both state numbers and neither set holds the other) are not
    duplicates: "0.5 vCPU takes 1-4 GB" and "1 vCPU takes 2-8 GB" share every word but teach two
    facts, and a price calculation with other inputs is another exercise.

    Cost: a pair is scored only when it shares a rare token (in at most :data:`RARE_SHARE` of the
    texts, or in two) or one of either text's :data:`TOP_TOKENS` heaviest: an inverted index finds
    those pairs. On a bank of ~340 cards and ~260 questions both kinds take about 0.1-0.2 s on a
    busy two-core machine, against several times that for every one of the ~90,000 pairs.
    """
    ids = list(texts)
    n = len(ids)
    if n < 2:
        return []
    bags = {i: Counter(_tokens(texts[i])) for i in ids}
    df: Counter[str] = Counter(t for bag in bags.values() for t in bag)
    vectors: dict[str, dict[str, float]] = {}
    for i, bag in bags.items():
        weights = {t: (1 + math.log(c)) * (math.log((1 + n) / (1 + df[t])) + 1) for t, c in bag.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        vectors[i] = {t: w / norm for t, w in weights.items()}
    rare_limit = max(2, int(RARE_SHARE * n))
    postings: dict[str, list[int]] = defaultdict(list)
    for index, i in enumerate(ids):
        heaviest = sorted(vectors[i], key=lambda t: -vectors[i][t])[:TOP_TOKENS]
        for t in bags[i]:
            if df[t] <= rare_limit or t in heaviest:
                postings[t].append(index)
    candidates = {pair for members in postings.values() for pair in combinations(members, 2)}
    figures = {i: _figures(texts[i]) for i in ids}
    pairs = []
    for a, b in sorted(candidates):
        first, second = ids[a], ids[b]
        fa, fb = figures[first], figures[second]
        if fa and fb and not (fa <= fb or fb <= fa):
            continue
        va, vb = vectors[first], vectors[second]
        if len(va) > len(vb):
            va, vb = vb, va
        score = sum(w * vb.get(t, 0.0) for t, w in va.items())
        if score >= threshold:
            pairs.append(SimilarPair(first, second, round(score, 3)))
    return sorted(pairs, key=lambda p: -p.score)


def card_text(card: Card) -> str:
    return f"{card.front} {card.back}"


def duplicate_rule(bank: Bank) -> QualityReport:
    report = QualityReport()
    kinds: list[tuple[str, Mapping[str, Card | Question], dict[str, str], float, float]] = [
        (
            "its stem is",
            bank.questions,
            {i: q.stem for i, q in bank.questions.items()},
            STEM_WARN,
            STEM_ERROR,
        ),
        (
            "its front and back are",
            bank.cards,
            {i: card_text(c) for i, c in bank.cards.items()},
            CARD_WARN,
            CARD_ERROR,
        ),
    ]
    for what, items, texts, warn, error in kinds:
        for pair in near_duplicates(texts, warn):
            first, second = items[pair.first], items[pair.second]
            path, line = _where(first)
            message = (
                f"{what} {pair.score:.2f} similar to {second.id}'s ({second.source}); merge the two "
                f"(keep one id, retire the other) or make each test a different fact"
            )
            target = report.errors if pair.score >= error else report.warnings
            target.append(Problem(path, line, f"{first.id}: {message}"))
    return report


# -- references ---------------------------------------------------------------------------------------


def reference_problem(url: str) -> str | None:
    """Why ``url`` is not an AWS documentation, blog, What's New or re:Post https link, or None."""
    parsed = urlparse(url)
    host = (parsed.hostname or "").lower()
    if parsed.scheme != "https" or host not in AWS_DOC_HOSTS:
        return (
            f"reference {url!r} is not an https link to {', '.join(AWS_DOC_HOSTS)}; "
            "cite the AWS documentation page that states the fact"
        )
    if host == "aws.amazon.com" and not any(re.match(p, parsed.path) for p in AWS_SITE_PATHS):
        return (
            f"reference {url!r} is a product page, not documentation; on aws.amazon.com cite a blog, "
            "What's New, pricing or FAQ page, or else the docs.aws.amazon.com page"
        )
    return None


def reference_rule(bank: Bank) -> QualityReport:
    report = QualityReport()
    items: list[Card | Question] = [*bank.cards.values(), *bank.questions.values()]
    for item in items:
        for ref in item.references:
            why = reference_problem(ref.url) if ref.url else None
            if why:
                report.errors.append(_problem(item, why))
    return report


# -- all of them --------------------------------------------------------------------------------------

RULES = (cue_rule, choice_rule, option_count_rule, duplicate_rule, reference_rule)


def review(bank: Bank) -> QualityReport:
    """Every item-writing rule over the loaded bank."""
    report = QualityReport()
    for rule in RULES:
        report.extend(rule(bank))
    return report
