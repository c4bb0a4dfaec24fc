"""Importing Anki history (trainer.study.anki_import) from packages built here with sqlite3 and
zipfile: matched GUIDs replayed, mismatches reported, nothing overwritten without force."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from trainer.content.export import card_guid, question_guid
from trainer.content.graph import introduction_order
from trainer.store.tables import ReviewLog
from trainer.study.anki_import import AnkiImportError, import_anki_history, read_revlog
from trainer.study.profiles import create_profile, get_profile
from trainer.study.queue import Study
from trainer.study.scheduling import Rating

T0 = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
LOG = ReviewLog.__table__


def ms(at: datetime) -> int:
    return int(at.timestamp() * 1000)


def package(
    tmp_path, name: str, notes: dict[str, list[tuple[datetime, int, int]]], member="collection.anki2"
):
    """A package with one card per note: GUID -> [(when, ease, revlog type)]."""
    db = tmp_path / f"{name}.sqlite"
    conn = sqlite3.connect(db)
    conn.executescript(
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, guid TEXT NOT NULL, mid INTEGER, flds TEXT);"
        "CREATE TABLE cards (id INTEGER PRIMARY KEY, nid INTEGER NOT NULL, did INTEGER, ord INTEGER);"
        "CREATE TABLE revlog (id INTEGER PRIMARY KEY, cid INTEGER NOT NULL, usn INTEGER, ease INTEGER,"
        " ivl INTEGER, lastIvl INTEGER, factor INTEGER, time INTEGER, type INTEGER);"
    )
    for i, (guid, entries) in enumerate(notes.items(), start=1):
        conn.execute("INSERT INTO notes VALUES (?, ?, 1, '')", (1000 + i, guid))
        conn.execute("INSERT INTO cards VALUES (?, ?, 1, 0)", (2000 + i, 1000 + i))
        for at, ease, kind in entries:
            conn.execute(
                "INSERT INTO revlog VALUES (?, ?, -1, ?, 0, 0, 0, 8000, ?)",
                (ms(at) + i, 2000 + i, ease, kind),
            )
    conn.commit()
    conn.close()
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(db, member)
        archive.writestr("media", "{}")
    return path


def profile_with_cards(engine, bank, name="Ana"):
    profile = create_profile(engine, name)
    Study(engine, profile).sync(bank, introduction_order(bank))
    return get_profile(engine, profile.id)


def good_history(start: datetime) -> list[tuple[datetime, int, int]]:
    return [(start, 3, 0), (start + timedelta(minutes=10), 3, 0), (start + timedelta(days=3), 3, 1)]


def log_rows(engine, card_id=None) -> int:
    query = select(func.count()).select_from(LOG)
    if card_id:
        query = query.where(LOG.c.card_id == card_id)
    with engine.connect() as conn:
        return conn.execute(query).scalar_one()


def test_matched_history_is_replayed_and_mismatches_reported(engine, small_bank, tmp_path):
    profile = profile_with_cards(engine, small_bank)
    path = package(
        tmp_path,
        "deck.apkg",
        {
            card_guid("a1"): good_history(T0),
            card_guid("b1"): [
                *good_history(T0),
                (T0 + timedelta(days=4), 0, 4),
                (T0 + timedelta(days=5), 0, 5),
            ],
            "unknownGUID0001": good_history(T0),
            question_guid("q-any"): good_history(T0),
            card_guid("a2"): [],
        },
    )
    dry = import_anki_history(engine, profile, path, dry_run=True)
    assert dry.reviews_imported == 6 and log_rows(engine) == 0  # a dry run writes nothing
    report = import_anki_history(engine, profile, path)
    assert sorted(report.cards_imported) == ["a1", "b1"] and report.reviews_imported == 6
    assert report.skipped_manual == 2
    assert set(report.unknown_guids) == {"unknownGUID0001", question_guid("q-any")}
    assert report.notes_without_reviews == 1
    study = Study(engine, profile)
    memory = study.memory("a1")
    assert (
        memory.state == "review"
        and memory.reps == 3
        and memory.last_review == T0 + timedelta(days=3, milliseconds=1)
    )
    assert log_rows(engine, "a1") == 3
    assert "imported 6 review(s) for 2 card(s)" in report.describe()
    assert json.dumps(report.to_json_dict())


def test_cards_with_history_here_are_never_overwritten_without_force(engine, small_bank, tmp_path):
    profile = profile_with_cards(engine, small_bank)
    study = Study(engine, profile)
    study.answer("a1", Rating.GOOD, T0 - timedelta(days=1))
    path = package(tmp_path, "again.colpkg", {card_guid("a1"): good_history(T0)})
    report = import_anki_history(engine, profile, path)
    assert report.already_here == ["a1"] and not report.cards_imported
    assert log_rows(engine, "a1") == 1
    merged = import_anki_history(engine, profile, path, force=True)
    assert merged.cards_imported == ["a1"] and log_rows(engine, "a1") == 4
    assert Study(engine, profile).memory("a1").reps == 4
    again = import_anki_history(engine, profile, path, force=True)  # nothing imported twice
    assert again.reviews_imported == 0 and log_rows(engine, "a1") == 4


def test_packages_that_cannot_be_read_are_refused_in_words(tmp_path):
    bad = tmp_path / "notes.apkg"
    bad.write_bytes(b"not a zip")
    with pytest.raises(AnkiImportError, match="not an Anki package"):
        read_revlog(bad)
    empty = tmp_path / "empty.colpkg"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("media", "{}")
    with pytest.raises(AnkiImportError, match="no Anki collection"):
        read_revlog(empty)


def test_anki21_collections_are_read(tmp_path):
    path = package(tmp_path, "new.colpkg", {card_guid("a1"): good_history(T0)}, member="collection.anki21")
    assert len(read_revlog(path)[card_guid("a1")]) == 3


def modern_package(tmp_path, name: str, notes: dict[str, list[tuple[datetime, int, int]]]):
    """A package as Anki 2.1.50+ exports it by default: the collection zstd-compressed as a stream
    (no size in the frame's header) in collection.anki21b, and beside it a placeholder
    collection.anki2 holding one note that asks old versions to update."""
    import zstandard

    real = package(tmp_path, f"{name}.real", notes)
    placeholder = package(tmp_path, f"{name}.old", {"pleaseUpdate01": good_history(T0)})
    with zipfile.ZipFile(real) as archive:
        data = archive.read("collection.anki2")
    with zipfile.ZipFile(placeholder) as archive:
        old = archive.read("collection.anki2")
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("collection.anki2", old)
        archive.writestr(
            "collection.anki21b", zstandard.ZstdCompressor(write_content_size=False).compress(data)
        )
        archive.writestr("meta", b"\x08\x03")  # Anki's package-version marker (protobuf)
    return path


def test_modern_packages_are_read_from_the_zstd_collection(tmp_path):
    path = modern_package(tmp_path, "modern.colpkg", {card_guid("a1"): good_history(T0)})
    history = read_revlog(path)
    assert set(history) == {card_guid("a1")}  # not the placeholder's note
    assert [e.rating for e in history[card_guid("a1")]] == [3, 3, 3]


def test_a_modern_deck_package_is_imported(engine, small_bank, tmp_path):
    profile = profile_with_cards(engine, small_bank)
    path = modern_package(
        tmp_path, "deck.apkg", {card_guid("b2"): good_history(T0), "unknownGUID0002": good_history(T0)}
    )
    report = import_anki_history(engine, profile, path)
    assert report.cards_imported == ["b2"] and report.reviews_imported == 3
    assert report.unknown_guids == ["unknownGUID0002"]
    assert Study(engine, profile).memory("b2").reps == 3


def test_a_damaged_zstd_collection_is_refused_plainly(tmp_path):
    path = tmp_path / "damaged.colpkg"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("collection.anki21b", b"\x28\xb5\x2f\xfd not a zstd frame")
    with pytest.raises(AnkiImportError, match="damaged; export it again"):
        read_revlog(path)


def test_cli_import_anki_dry_run_and_json(file_db, tmp_path, capsys):
    from trainer.cli import main
    from trainer.store.engine import make_engine

    engine = make_engine(file_db)
    create_profile(engine, "Ana")
    path = package(tmp_path, "deck.apkg", {"unknownGUID0001": good_history(T0)})
    assert main(["study", "import-anki", str(path), "--profile", "Ana", "--dry-run", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["dry_run"] and out["unknown_guids"] == ["unknownGUID0001"] and out["reviews_imported"] == 0
    assert main(["study", "import-anki", str(tmp_path / "missing.apkg"), "--profile", "Ana"]) == 2
    assert "no such package file" in capsys.readouterr().err
