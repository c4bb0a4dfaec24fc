"""The content model: topics, outline entries, concepts, cards, questions and the bank that holds them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

# Hosts whose pages count as AWS documentation for references.
AWS_DOC_HOSTS = ("docs.aws.amazon.com", "aws.amazon.com", "repost.aws")
# Pages of aws.amazon.com that count as sources (path patterns): blog posts, What's New, and a
# service's pricing and FAQ pages (prices and some quotas are published only there). The
# marketing pages around them are not sources.
AWS_SITE_PATHS = (
    r"/blogs/",
    r"/about-aws/whats-new/",
    r"/(?:[a-z0-9-]+/)+pricing/?",
    r"/(?:[a-z0-9-]+/)+faqs/?",
    r"/premiumsupport/knowledge-center/",
    r"/builders-library/",
)

ID_PATTERN = re.compile(r"^[a-z0-9]([a-z0-9.\-]*[a-z0-9])?$")


class Domain(StrEnum):
    """DVA-C02 exam domains, with their weight in the real exam."""

    DEVELOPMENT = "development"
    SECURITY = "security"
    DEPLOYMENT = "deployment"
    TROUBLESHOOTING = "troubleshooting"

    @property
    def label(self) -> str:
        """The domain's name for display."""
        return _DOMAIN_LABELS[self]

    @property
    def weight(self) -> float:
        return _DOMAIN_WEIGHTS[self]


_DOMAIN_LABELS = {
    Domain.DEVELOPMENT: "Development with AWS services",
    Domain.SECURITY: "Security",
    Domain.DEPLOYMENT: "Deployment",
    Domain.TROUBLESHOOTING: "Troubleshooting and optimization",
}
_DOMAIN_WEIGHTS = {
    Domain.DEVELOPMENT: 0.32,
    Domain.SECURITY: 0.26,
    Domain.DEPLOYMENT: 0.24,
    Domain.TROUBLESHOOTING: 0.18,
}


@dataclass(frozen=True)
class Reference:
    title: str
    url: str


@dataclass(frozen=True)
class Correction:
    """Where the notes are out of date: what they say, what is true now, and since when."""

    notes_say: str
    now: str
    since: str


@dataclass(frozen=True)
class ExplainerLink:
    """A deep link from a card or question to an explainer page with a preset loaded."""

    page: str  # "playground" or "sizing"
    preset: str


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    section: str  # "ECS" or "Lambda"


@dataclass(frozen=True)
class OutlineEntry:
    """One bullet of the study notes, paraphrased, with a stable id."""

    id: str
    section: str
    text: str
    line: int = 0  # line of the bullet in the notes, for reading it in context


@dataclass(frozen=True)
class Concept:
    id: str
    name: str
    topic: str
    requires: tuple[str, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class Card:
    id: str
    front: str
    back: str
    explanation: str
    topic: str
    tags: tuple[str, ...] = ()
    concepts: tuple[str, ...] = ()
    outline: tuple[str, ...] = ()
    prerequisites: tuple[str, ...] = ()
    references: tuple[Reference, ...] = ()
    correction: Correction | None = None
    explainer: ExplainerLink | None = None
    source: str = ""  # "path:line", for messages


@dataclass(frozen=True)
class Option:
    text: str
    explanation: str


@dataclass(frozen=True)
class Question:
    """An exam-style scenario question; ``answer`` holds the indexes of the correct options."""

    id: str
    stem: str
    type: str  # "single" or "multiple"
    options: tuple[Option, ...]
    answer: tuple[int, ...]
    domain: Domain
    difficulty: int
    topic: str
    cards: tuple[str, ...] = ()
    concepts: tuple[str, ...] = ()
    outline: tuple[str, ...] = ()
    references: tuple[Reference, ...] = ()
    correction: Correction | None = None
    explainer: ExplainerLink | None = None
    source: str = ""

    @property
    def choose(self) -> int:
        return len(self.answer)


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class Bank:
    """Everything loaded from the content directory, plus what was wrong with it."""

    topics: dict[str, Topic] = field(default_factory=dict)
    outline: dict[str, OutlineEntry] = field(default_factory=dict)
    concepts: dict[str, Concept] = field(default_factory=dict)
    cards: dict[str, Card] = field(default_factory=dict)
    questions: dict[str, Question] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    skipped: dict[str, list[Problem]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def topic_title(self, topic_id: str) -> str:
        topic = self.topics.get(topic_id)
        return topic.title if topic else topic_id
