"""trainer.ui.heap: the long-lived heap frozen so Streamlit's collection after each run is cheap."""

from __future__ import annotations

import gc
import weakref

import pytest

from trainer.ui import heap


class _Cycle:
    def __init__(self) -> None:
        self.me = self


@pytest.fixture(autouse=True)
def thawed():
    yield
    gc.unfreeze()


def test_it_freezes_once_then_only_when_modules_arrive_or_a_minute_passed():
    t0 = 1_000_000.0
    assert heap.keep_collections_cheap(now=t0)
    assert gc.get_freeze_count() > 0
    assert not heap.keep_collections_cheap(now=t0 + 1)
    assert not heap.keep_collections_cheap(now=t0 + heap.RENEW_SECONDS - 1)
    assert heap.keep_collections_cheap(now=t0 + heap.RENEW_SECONDS)


def test_garbage_a_freeze_kept_is_freed_at_the_next_renewal():
    t0 = 2_000_000.0
    held = _Cycle()
    alive = weakref.ref(held)
    heap.keep_collections_cheap(now=t0)  # frozen while alive, as an open session's state is
    del held  # the session closes: now a cycle among frozen objects
    assert not heap.keep_collections_cheap(now=t0 + 1)
    gc.collect()
    assert alive() is not None  # frozen: a collection does not look at it
    assert heap.keep_collections_cheap(now=t0 + heap.RENEW_SECONDS + 1)
    assert alive() is None  # thawed and collected at the renewal
