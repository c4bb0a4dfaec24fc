"""The content model: knowledge cards, scenario questions, the outline of the notes, concepts.

Content is data. Every YAML file under ``content/`` holds one or more of the top-level lists
``topics``, ``outline``, ``concepts``, ``cards`` and ``questions``; adding a file adds items
with no code change. ``load_bank`` reads them all and returns a :class:`Bank` together with
every problem found, so ``trainer check`` can list them all at once and the app can serve the
files that are sound while saying which ones it skipped.

A file with a problem of its own (malformed YAML, a missing or unknown field, a value of the
wrong kind) is skipped whole: half a file is more confusing than none. Problems between files
(a reference to an unknown card, a duplicate id) are reported but do not skip anything.
"""

from __future__ import annotations

import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from trainer.content.limits import ContentLimits, over_total
from trainer.content.model import (
    AWS_DOC_HOSTS,
    ID_PATTERN,
    Bank,
    Card,
    Concept,
    Correction,
    Domain,
    ExplainerLink,
    Option,
    OutlineEntry,
    Problem,
    Question,
    Reference,
    Topic,
)
from trainer.content.yamlfile import LineDict, YamlError, load_yaml
from trainer.resources import content_dir

# ---------------------------------------------------------------------------
# Field specifications: what each kind of item may hold.

_REQUIRED = {
    "topics": {"id", "title", "section"},
    "outline": {"id", "section", "text"},
    "concepts": {"id", "name", "topic"},
    "cards": {"id", "front", "back", "explanation", "topic", "references", "outline"},
    "questions": {
        "id",
        "stem",
        "type",
        "options",
        "answer",
        "domain",
        "difficulty",
        "topic",
        "cards",
        "references",
    },
}
_OPTIONAL = {
    "topics": set(),
    "outline": {"line"},
    "concepts": {"requires"},
    "cards": {"tags", "concepts", "prerequisites", "correction", "explainer"},
    "questions": {"concepts", "outline", "correction", "explainer"},
}
KINDS = tuple(_REQUIRED)
EXPLAINER_PAGES = ("playground", "sizing", "aliases", "memory", "streams", "connections", "ecs-scaling")


class _FileReader:
    """Turns the raw YAML of one file into items, collecting problems instead of raising."""

    def __init__(self, path: Path, label: str):
        self.path = path
        self.label = label
        self.problems: list[Problem] = []

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.label, line, message))

    # -- typed field readers -------------------------------------------------

    def text(self, item: LineDict, key: str, required: bool = True) -> str:
        value = item.get(key)
        if value is None:
            if required:
                self.problem(item.line, f"missing field '{key}'")
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.problem(item.line_of(key), f"'{key}' must be text")
            return ""
        value = str(value).strip()
        if required and not value:
            self.problem(item.line_of(key), f"'{key}' must not be empty")
        return value

    def id_list(self, item: LineDict, key: str) -> tuple[str, ...]:
        value = item.get(key, [])
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(item.line_of(key), f"'{key}' must be a list of ids")
            return ()
        return tuple(v.strip() for v in value)

    def references(self, item: LineDict) -> tuple[Reference, ...]:
        raw = item.get("references")
        if not isinstance(raw, list) or not raw:
            self.problem(
                item.line_of("references"),
                "'references' must list at least one AWS documentation link (each with 'title' and 'url')",
            )
            return ()
        refs = []
        for ref in raw:
            if isinstance(ref, str):
                ref = LineDict(url=ref, title=ref)
                ref.line, ref.key_lines = item.line_of("references"), {}
            if not isinstance(ref, LineDict):
                self.problem(item.line_of("references"), "a reference must have 'title' and 'url'")
                continue
            self.unknown_fields(ref, {"title", "url"}, set(), "reference")
            url = self.text(ref, "url")
            title = self.text(ref, "title")
            if url and not is_aws_doc_url(url):
                self.problem(
                    ref.line_of("url"),
                    f"reference URL {url!r} is not an https link to AWS documentation "
                    f"({', '.join(AWS_DOC_HOSTS)})",
                )
            refs.append(Reference(title=title, url=url))
        return tuple(refs)

    def correction(self, item: LineDict) -> Correction | None:
        raw = item.get("correction")
        if raw is None:
            return None
        if not isinstance(raw, LineDict):
            self.problem(item.line_of("correction"), "'correction' needs notes_say, now, since")
            return None
        self.unknown_fields(raw, {"notes_say", "now", "since"}, set(), "correction")
        return Correction(
            notes_say=self.text(raw, "notes_say"),
            now=self.text(raw, "now"),
            since=self.text(raw, "since"),
        )

    def explainer(self, item: LineDict) -> ExplainerLink | None:
        raw = item.get("explainer")
        if raw is None:
            return None
        if not isinstance(raw, LineDict):
            self.problem(item.line_of("explainer"), "'explainer' needs page and preset")
            return None
        self.unknown_fields(raw, {"page", "preset"}, set(), "explainer")
        page = self.text(raw, "page")
        if page and page not in EXPLAINER_PAGES:
            self.problem(
                raw.line_of("page"),
                f"unknown explainer page {page!r}; use one of {', '.join(EXPLAINER_PAGES)}",
            )
        return ExplainerLink(page=page, preset=self.text(raw, "preset"))

    def unknown_fields(self, item: LineDict, required: set[str], optional: set[str], what: str) -> bool:
        """Report missing and unknown keys; return True when the item is usable."""
        ok = True
        for key in item:
            if key not in required and key not in optional:
                allowed = ", ".join(sorted(required | optional))
                self.problem(item.line_of(str(key)), f"unknown field '{key}' in {what} (allowed: {allowed})")
                ok = False
        for key in sorted(required - set(item)):
            self.problem(item.line, f"missing field '{key}' in {what}")
            ok = False
        return ok

    def check_id(self, item: LineDict) -> str:
        ident = self.text(item, "id")
        if ident and not ID_PATTERN.match(ident):
            self.problem(
                item.line_of("id"),
                f"id {ident!r} must use lower-case letters, digits, '-' and '.'",
            )
        return ident

    # -- item builders ---------------------------------------------------------

    def build(self, kind: str, item: LineDict) -> Any:
        self.unknown_fields(item, _REQUIRED[kind], _OPTIONAL[kind], kind[:-1])
        return getattr(self, f"_build_{kind}")(item)

    def _build_topics(self, item: LineDict) -> Topic:
        section = self.text(item, "section")
        if section and section not in ("ECS", "Lambda"):
            self.problem(item.line_of("section"), "section must be 'ECS' or 'Lambda'")
        return Topic(id=self.check_id(item), title=self.text(item, "title"), section=section)

    def _build_outline(self, item: LineDict) -> OutlineEntry:
        line = item.get("line", 0)
        if not isinstance(line, int) or isinstance(line, bool) or line < 0:
            self.problem(item.line_of("line"), "'line' must be the line number of the bullet in the notes")
            line = 0
        return OutlineEntry(
            id=self.check_id(item),
            section=self.text(item, "section"),
            text=self.text(item, "text"),
            line=line,
        )

    def _build_concepts(self, item: LineDict) -> Concept:
        return Concept(
            id=self.check_id(item),
            name=self.text(item, "name"),
            topic=self.text(item, "topic"),
            requires=self.id_list(item, "requires"),
            source=f"{self.label}:{item.line}",
        )

    def _build_cards(self, item: LineDict) -> Card:
        tags = self.id_list(item, "tags")
        return Card(
            id=self.check_id(item),
            front=self.text(item, "front"),
            back=self.text(item, "back"),
            explanation=self.text(item, "explanation"),
            topic=self.text(item, "topic"),
            tags=tags,
            concepts=self.id_list(item, "concepts"),
            outline=self.id_list(item, "outline"),
            prerequisites=self.id_list(item, "prerequisites"),
            references=self.references(item),
            correction=self.correction(item),
            explainer=self.explainer(item),
            source=f"{self.label}:{item.line}",
        )

    def _build_questions(self, item: LineDict) -> Question:
        options = self._options(item)
        answer = self._answer(item, len(options))
        qtype = self.text(item, "type")
        if qtype and qtype not in ("single", "multiple"):
            self.problem(item.line_of("type"), "type must be 'single' or 'multiple'")
        elif qtype == "single" and len(answer) != 1 and answer:
            self.problem(item.line_of("answer"), "a 'single' question has exactly one correct option")
        elif qtype == "multiple":
            if answer and len(answer) < 2:
                self.problem(item.line_of("answer"), "a 'multiple' question has at least two correct options")
            if options and len(options) < 5:
                self.problem(
                    item.line_of("options"),
                    "a 'multiple' question needs at least five options, as on the exam",
                )
        if qtype == "single" and options and len(options) != 4:
            self.problem(item.line_of("options"), "a 'single' question has exactly four options")
        domain_text = self.text(item, "domain")
        try:
            domain = Domain(domain_text)
        except ValueError:
            if domain_text:
                self.problem(
                    item.line_of("domain"),
                    f"unknown exam domain {domain_text!r}; use one of {', '.join(d.value for d in Domain)}",
                )
            domain = Domain.DEVELOPMENT
        difficulty = item.get("difficulty")
        if not isinstance(difficulty, int) or isinstance(difficulty, bool) or not 1 <= difficulty <= 3:
            self.problem(item.line_of("difficulty"), "difficulty must be 1, 2 or 3")
            difficulty = 2
        cards = self.id_list(item, "cards")
        if "cards" in item and not cards:
            self.problem(item.line_of("cards"), "a question must name at least one card it exercises")
        return Question(
            id=self.check_id(item),
            stem=self.text(item, "stem"),
            type=qtype,
            options=options,
            answer=answer,
            domain=domain,
            difficulty=difficulty,
            topic=self.text(item, "topic"),
            cards=cards,
            concepts=self.id_list(item, "concepts"),
            outline=self.id_list(item, "outline"),
            references=self.references(item),
            correction=self.correction(item),
            explainer=self.explainer(item),
            source=f"{self.label}:{item.line}",
        )

    def _options(self, item: LineDict) -> tuple[Option, ...]:
        raw = item.get("options")
        if not isinstance(raw, list) or not raw:
            if "options" in item:
                self.problem(item.line_of("options"), "'options' must be a list of {text, explanation}")
            return ()
        options = []
        for opt in raw:
            if not isinstance(opt, LineDict):
                self.problem(item.line_of("options"), "each option needs 'text' and 'explanation'")
                continue
            self.unknown_fields(opt, {"text", "explanation"}, set(), "option")
            options.append(Option(text=self.text(opt, "text"), explanation=self.text(opt, "explanation")))
        texts = [o.text for o in options]
        if len(set(texts)) != len(texts):
            self.problem(item.line_of("options"), "two options have the same text")
        return tuple(options)

    def _answer(self, item: LineDict, n_options: int) -> tuple[int, ...]:
        raw = item.get("answer")
        if raw is None:
            return ()
        values = raw if isinstance(raw, list) else [raw]
        if not values or not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            self.problem(
                item.line_of("answer"), "'answer' must be an option index (0-based) or a list of them"
            )
            return ()
        for v in values:
            if n_options and not 0 <= v < n_options:
                self.problem(
                    item.line_of("answer"),
                    f"answer index {v} is out of range: the question has {n_options} options "
                    f"(indexes 0 to {n_options - 1})",
                )
        if len(set(values)) != len(values):
            self.problem(item.line_of("answer"), "'answer' lists the same option twice")
        return tuple(sorted({v for v in values if 0 <= v < max(n_options, 1)}))


def is_aws_doc_url(url: str) -> bool:
    parsed = urlparse(url)
    host = parsed.hostname or ""
    return parsed.scheme == "https" and any(host == h or host.endswith("." + h) for h in AWS_DOC_HOSTS)


def content_files(paths: Iterable[Path]) -> list[Path]:
    """Every .yaml/.yml file under the given files or directories, sorted."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml")))
        else:
            found.append(path)
    return found


def _label(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def read_file(
    path: Path, root: Path | None = None, max_bytes: int | None = None
) -> tuple[dict[str, list[tuple[Any, int]]], list[Problem]]:
    """Read one content file into {kind: [(item, line)]} and its own problems.

    ``root`` is the content directory the file must stay inside (links out of it are refused);
    ``max_bytes`` the size limit (``trainer.content.limits``).
    """
    label = _label(path)
    if not path.exists() and not path.is_symlink():
        return {}, [Problem(label, 0, "no such file or directory")]
    try:
        data = load_yaml(path, root, max_bytes)
    except YamlError as exc:
        return {}, [Problem(label, exc.line, exc.message)]
    if data is None:
        return {}, [Problem(label, 1, "the file is empty")]
    if not isinstance(data, LineDict):
        return {}, [Problem(label, 1, f"expected a mapping with any of: {', '.join(KINDS)}")]
    reader = _FileReader(path, label)
    items: dict[str, list[tuple[Any, int]]] = {}
    for key, value in data.items():
        if key not in KINDS:
            reader.problem(
                data.line_of(str(key)), f"unknown section {_shown(key)} (allowed: {', '.join(KINDS)})"
            )
            continue
        if not isinstance(value, list):
            reader.problem(data.line_of(key), f"'{key}' must be a list")
            continue
        for raw in value:
            if not isinstance(raw, LineDict):
                reader.problem(data.line_of(key), f"each entry of '{key}' must be a mapping")
                continue
            items.setdefault(key, []).append((reader.build(key, raw), raw.line))
    return items, reader.problems


def _shown(key: Any, most: int = 30) -> str:
    """A key as a message quotes it: at most ``most`` characters, so a stray file is not echoed."""
    text = repr(str(key))
    return text if len(text) <= most else text[: most - 4] + "…'"


def _size(path: Path) -> int:
    """The size a regular file claims (0 for anything else: it is refused when read)."""
    try:
        info = path.stat()
    except OSError:
        return 0
    return info.st_size if stat.S_ISREG(info.st_mode) else 0


def load_bank(paths: Iterable[Path] | None = None) -> Bank:
    """Load and cross-check all content; never raises on bad content."""
    paths = list(paths) if paths else [content_dir()]
    limits = ContentLimits.from_env()
    bank = Bank()
    seen: dict[tuple[str, str], str] = {}
    total = 0
    for root in paths:
        inside = root if root.is_dir() else None
        for path in content_files([root]):
            label = _label(path)
            bank.files.append(label)
            total += _size(path)
            too_much = over_total(total, limits)
            if too_much:
                problems = [Problem(label, 0, too_much)]
            else:
                items, problems = read_file(path, inside, limits.max_file_bytes)
            if problems:
                bank.problems.extend(problems)
                bank.skipped[label] = problems
                continue
            _add_items(bank, label, items, seen)
    bank.problems.extend(cross_check(bank))
    return bank


def _add_items(
    bank: Bank, label: str, items: dict[str, list[tuple[Any, int]]], seen: dict[tuple[str, str], str]
) -> None:
    for kind, entries in items.items():
        target: dict = getattr(bank, kind)
        for item, line in entries:
            where = f"{label}:{line}"
            first = seen.get((kind, item.id))
            if first:
                bank.problems.append(
                    Problem(label, line, f"duplicate {kind[:-1]} id '{item.id}' (first defined at {first})")
                )
                continue
            seen[(kind, item.id)] = where
            target[item.id] = item


def _where(item: Card | Question | Concept) -> tuple[str, int]:
    path, _, line = item.source.rpartition(":")
    return path, int(line or 0)


def cross_check(bank: Bank) -> list[Problem]:
    """Problems between files: references to ids that do not exist, prerequisite cycles."""
    problems: list[Problem] = []

    def missing(item, what: str, ids: Iterable[str], known: dict) -> None:
        for ident in ids:
            if ident not in known:
                path, line = _where(item)
                problems.append(Problem(path, line, f"{item.id}: unknown {what} '{ident}'"))

    for card in bank.cards.values():
        missing(card, "topic", [card.topic], bank.topics)
        missing(card, "outline entry", card.outline, bank.outline)
        missing(card, "concept", card.concepts, bank.concepts)
        missing(card, "prerequisite card", card.prerequisites, bank.cards)
    for q in bank.questions.values():
        missing(q, "topic", [q.topic], bank.topics)
        missing(q, "card", q.cards, bank.cards)
        missing(q, "outline entry", q.outline, bank.outline)
        missing(q, "concept", q.concepts, bank.concepts)
    for concept in bank.concepts.values():
        missing(concept, "topic", [concept.topic], bank.topics)
        missing(concept, "prerequisite concept", concept.requires, bank.concepts)
    problems.extend(_cycles(bank))
    return problems


def _cycles(bank: Bank) -> list[Problem]:
    import networkx as nx

    problems = []
    cards = [(p, c.id) for c in bank.cards.values() for p in c.prerequisites]
    concepts = [(r, c.id) for c in bank.concepts.values() for r in c.requires]
    items: dict[str, Card] | dict[str, Concept]
    for name, edges, items in (
        ("card prerequisites", cards, bank.cards),
        ("concept prerequisites", concepts, bank.concepts),
    ):
        graph = nx.DiGraph(edges)
        for cycle in nx.simple_cycles(graph):
            # Reported where the cycle's first item is defined, so "file:line" leads to it (every
            # item on a cycle is defined: only a defined item has prerequisites).
            first = items.get(cycle[0])
            path, line = _where(first) if first else ("", 0)
            problems.append(Problem(path, line, f"cycle in {name}: {' -> '.join(cycle + cycle[:1])}"))
            if len(problems) > 20:
                break
    return problems
