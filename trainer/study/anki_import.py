"""Import review history from an Anki package, for cards that came from this trainer's export.

A learner who studied the exported deck in Anki keeps their memory here. The package (``.colpkg``
or ``.apkg``) is a zip holding the collection as SQLite: ``collection.anki21b`` (zstd-compressed,
what Anki 2.1.50 and later export by default; the ``collection.anki2`` beside it is then only a
placeholder telling old versions to update, and is never read), ``collection.anki21`` or
``collection.anki2``. Notes are matched to cards by GUID: the export derives each note's GUID
from the card id (``trainer.content.export.card_guid``), so it is stable across exports.

Matched revlog entries are replayed through this trainer's scheduler in time order, ratings 1-4
as Again/Hard/Good/Easy, and written as review-log rows plus the card's new memory, in one
transaction per card. Entries of type 4/5 (manual reschedule, "set due date") and entries without
a rating are skipped and counted. Nothing is guessed: a note whose GUID is not one of this
profile's cards is reported, and a card that already has history here is reported and left alone
unless ``force`` is given; then both histories are merged in time order (entries already imported,
same moment and rating, are not added twice) and the card's memory is recomputed from them.
"""

from __future__ import annotations

import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine

from trainer.access.permissions import Actor, require_profile
from trainer.content.export import card_guid, question_guid
from trainer.content.model import Bank
from trainer.store.enums import MemoryState, ReviewKind, StudyQueue
from trainer.store.statements import writing
from trainer.store.tables import Profile
from trainer.study import statements as sql
from trainer.study.queue import memory_of, settings_for
from trainer.study.scheduling import Memory, Rating, Scheduler

COLLECTIONS = ("collection.anki21b", "collection.anki21", "collection.anki2")
MAX_COLLECTION_BYTES = 1 << 30  # 1 GiB uncompressed: far above any deck of this trainer
SKIPPED_TYPES = (4, 5)  # manual (reschedule) and "set due date" entries


class AnkiImportError(ValueError):
    """A package that cannot be read; the message says what to do, in one line."""


@dataclass(frozen=True)
class RevlogEntry:
    at: datetime
    rating: int
    kind: int
    duration_ms: int


@dataclass
class ImportReport:
    """What an import did (or, with dry_run, would do)."""

    dry_run: bool
    cards_imported: list[str] = field(default_factory=list)
    reviews_imported: int = 0
    skipped_manual: int = 0  # revlog entries of type 4/5
    skipped_unrated: int = 0  # entries with no 1-4 rating
    already_here: list[str] = field(default_factory=list)  # cards with history here, left alone
    unknown_guids: list[str] = field(default_factory=list)  # notes that are not this profile's cards
    question_notes: int = 0  # the export's scenario questions: not studied as cards here
    notes_without_reviews: int = 0

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "cards_imported": len(self.cards_imported),
            "reviews_imported": self.reviews_imported,
            "skipped_manual_entries": self.skipped_manual,
            "skipped_unrated_entries": self.skipped_unrated,
            "cards_with_history_here": sorted(self.already_here),
            "unknown_guids": sorted(self.unknown_guids),
            "question_notes": self.question_notes,
            "notes_without_reviews": self.notes_without_reviews,
        }

    def describe(self) -> str:
        verb = "would import" if self.dry_run else "imported"
        lines = [f"{verb} {self.reviews_imported} review(s) for {len(self.cards_imported)} card(s)"]
        if self.skipped_manual:
            lines.append(f"skipped {self.skipped_manual} manual or rescheduled entr(ies) (Anki types 4/5)")
        if self.skipped_unrated:
            lines.append(f"skipped {self.skipped_unrated} entr(ies) without a rating")
        if self.already_here:
            lines.append(
                f"{len(self.already_here)} card(s) already have history here and were left alone "
                f"(--force merges): {', '.join(sorted(self.already_here))}"
            )
        if self.unknown_guids:
            lines.append(
                f"{len(self.unknown_guids)} note(s) are not cards of this trainer's export (GUIDs "
                f"{', '.join(sorted(self.unknown_guids)[:10])}"
                f"{' ...' if len(self.unknown_guids) > 10 else ''})"
            )
        if self.question_notes:
            lines.append(f"{self.question_notes} scenario-question note(s) skipped: they are not study cards")
        if self.notes_without_reviews:
            lines.append(f"{self.notes_without_reviews} matching note(s) have no reviews in the package")
        return "\n".join(lines)


def read_revlog(path: Path) -> dict[str, list[RevlogEntry]]:
    """Each note GUID in the package with the revlog entries of its cards, oldest first."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile):
        raise AnkiImportError(
            "that file is not an Anki package (.colpkg or .apkg); export it again"
        ) from None
    with archive, tempfile.TemporaryDirectory() as tmp:
        names = set(archive.namelist())
        name = next((n for n in COLLECTIONS if n in names), None)
        if name is None:
            raise AnkiImportError("the package holds no Anki collection; export it again from Anki")
        info = archive.getinfo(name)
        if info.file_size > MAX_COLLECTION_BYTES:
            raise AnkiImportError("the collection in the package is larger than 1 GiB; export only the deck")
        data = archive.read(name)
        if name.endswith("anki21b"):
            data = _decompress_zstd(data)
        database = Path(tmp) / "collection.sqlite"
        database.write_bytes(data)
        return _read_collection(database)


def _decompress_zstd(data: bytes) -> bytes:
    """The collection inside a zstd frame. Anki writes it streamed, without the size in the frame's
    header, so it is read as a stream, and never past the size limit."""
    import zstandard  # only an import needs it; a dependency (pyproject.toml)

    out = bytearray()
    try:
        with zstandard.ZstdDecompressor().stream_reader(data) as reader:
            while chunk := reader.read(1 << 20):
                out += chunk
                if len(out) > MAX_COLLECTION_BYTES:
                    break
    except zstandard.ZstdError:
        raise AnkiImportError("the collection in the package is damaged; export it again") from None
    if len(out) > MAX_COLLECTION_BYTES:
        raise AnkiImportError("the collection in the package is larger than 1 GiB; export only the deck")
    return bytes(out)


def _read_collection(database: Path) -> dict[str, list[RevlogEntry]]:
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as conn:
            notes = dict(conn.execute("SELECT id, guid FROM notes").fetchall())
            card_note = dict(conn.execute("SELECT id, nid FROM cards").fetchall())
            rows = conn.execute("SELECT id, cid, ease, type, time FROM revlog ORDER BY id").fetchall()
    except sqlite3.DatabaseError:
        raise AnkiImportError("the collection in the package cannot be read as an Anki collection") from None
    history: dict[str, list[RevlogEntry]] = {str(guid): [] for guid in notes.values()}
    for revlog_id, cid, ease, kind, duration in rows:
        guid = notes.get(card_note.get(cid))
        if guid is None:
            continue  # a review of a card deleted in Anki: nothing to match it with
        at = datetime.fromtimestamp(revlog_id / 1000, tz=UTC)
        history[str(guid)].append(RevlogEntry(at, int(ease or 0), int(kind or 0), max(0, int(duration or 0))))
    return history


def import_anki_history(
    engine: Engine,
    profile: Profile,
    path: Path,
    *,
    dry_run: bool = False,
    force: bool = False,
    bank: Bank | None = None,
    actor: Actor | None = None,
) -> ImportReport:
    """Import the package's history into ``profile`` (see the module docstring). ``bank``, when
    given, lets the report tell the export's scenario-question notes from unknown notes."""
    assert profile.id is not None  # a profile read from the store
    require_profile(engine, actor, profile.id)
    history = read_revlog(path)
    report = ImportReport(dry_run=dry_run)
    with engine.connect() as conn:
        card_ids = conn.execute(
            select(sql.CARDS.c.card_id).where(sql.CARDS.c.profile_id == profile.id)
        ).scalars()
        by_guid = {card_guid(card_id): card_id for card_id in card_ids}
    questions = {question_guid(q) for q in bank.questions} if bank is not None else set()
    settings = replace(settings_for(profile), exam_date=None, vacation=None)
    scheduler = Scheduler(settings)
    for guid, entries in sorted(history.items()):
        card_id = by_guid.get(guid)
        if card_id is None:
            if guid in questions:
                report.question_notes += 1
            else:
                report.unknown_guids.append(guid)
            continue
        rated = []
        for entry in entries:
            if entry.kind in SKIPPED_TYPES:
                report.skipped_manual += 1
            elif not 1 <= entry.rating <= 4:
                report.skipped_unrated += 1
            else:
                rated.append(entry)
        if not rated:
            report.notes_without_reviews += 1
            continue
        added = _import_card(engine, profile.id, card_id, rated, scheduler, force, dry_run)
        if added is None:
            report.already_here.append(card_id)
        elif added:
            report.cards_imported.append(card_id)
            report.reviews_imported += added
    return report


def _import_card(
    engine: Engine,
    profile_id: int | None,
    card_id: str,
    entries: list[RevlogEntry],
    scheduler: Scheduler,
    force: bool,
    dry_run: bool,
) -> int | None:
    """Replay one card's history in one transaction; the number of log rows added, or None when
    the card has history here and ``force`` is not given."""
    with writing(engine) as conn:
        row = conn.execute(sql.CARD_ROW_LOCKED, {"pid": profile_id, "cid": card_id}).one()
        existing = conn.execute(
            select(sql.LOG.c.reviewed_at, sql.LOG.c.rating).where(
                sql.LOG.c.profile_id == profile_id,
                sql.LOG.c.card_id == card_id,
                sql.LOG.c.kind != ReviewKind.CRAM,
            )
        ).all()
        if (existing or row.reps) and not force:
            return None
        seen = {(at.replace(microsecond=0), rating) for at, rating in existing}
        new = [e for e in entries if (e.at.replace(microsecond=0), e.rating) not in seen]
        timeline = sorted(
            [(at, rating, None) for at, rating in existing] + [(e.at, e.rating, e) for e in new],
            key=lambda item: item[0],
        )
        current = memory_of(row)
        memory = Memory(card_id, suspended=current.suspended)
        logs = []
        for at, rating, entry in timeline:
            outcome = scheduler.review(memory, Rating(rating), at)
            if entry is not None:
                logs.append(
                    {
                        "profile_id": profile_id,
                        "card_id": card_id,
                        "rating": rating,
                        "reviewed_at": at,
                        "duration_ms": min(entry.duration_ms, 3_600_000),
                        "kind": ReviewKind.REVIEW,
                        "state_before": memory.state,
                        "state_after": outcome.memory.state,
                        "due_after": outcome.memory.due,
                        "stability_after": outcome.memory.stability,
                        "difficulty_after": outcome.memory.difficulty,
                        "interval_days": outcome.interval.total_seconds() / 86400,
                        "question_id": None,
                    }
                )
            memory = outcome.memory
        if dry_run or not logs:
            return len(logs)
        conn.execute(
            sql.SAVE_MEMORY,
            {
                "row_id": row.id,
                "v_state": memory.state,
                "v_queue": _queue_of(memory, row.retired),
                "v_step": memory.step,
                "v_stability": memory.stability,
                "v_difficulty": memory.difficulty,
                "v_due": memory.due,
                "v_last_review": memory.last_review,
                "v_reps": memory.reps,
                "v_lapses": memory.lapses,
                "v_leech": memory.leech,
                "v_suspended": memory.suspended,
                "v_buried_until": None,
            },
        )
        conn.execute(sql.ADD_LOG, logs)
        return len(logs)


def _queue_of(memory: Memory, retired: bool) -> StudyQueue:
    """The queue a replayed card belongs in (the queue module's rule, for a card just answered)."""
    if retired:
        return StudyQueue.RETIRED
    if memory.suspended:
        return StudyQueue.SUSPENDED
    if memory.state in (MemoryState.LEARNING, MemoryState.RELEARNING):
        return StudyQueue.LEARN
    return StudyQueue.REVIEW
