"""Keep the garbage collection Streamlit runs after every script run cheap (``pages.run_app``
calls :func:`keep_collections_cheap` after every page; a polling fragment, whose runs do not pass
through it, calls it itself).

Streamlit calls ``gc.collect(2)`` when a script run ends (its hidden ``runner.postScriptGC``
option), and a full collection walks every object the collector tracks. In this app that is
about 200 000 objects that never change after start-up: the imported libraries, the parsed
content bank, SQLAlchemy's metadata. Measured on the Study page (a page run of 5-9 ms), the
collection took 50-140 ms on the shared 2-core machine, after *each* run: most of the time from a
key press to the next card.

``gc.freeze()`` moves every object tracked at that moment into a permanent generation that
collections skip, so they only walk what the runs since allocated. Frozen objects are still freed
by reference counting; what freezing costs is that a reference *cycle* among them that becomes
garbage later is never collected. Two rules keep that small and bounded:

- collect first, so no garbage is frozen;
- freeze again when new modules were imported since (another page pulled in a charting
  library, say), and otherwise once a minute: then thaw, collect and freeze anew. Each freeze
  also catches what was alive at that moment, such as the open sessions' state (about 400
  objects a workshop participant), so without the minute's renewal every later collection would
  walk more of what earlier freezes missed, and a cycle a closed session left among frozen objects
  would never be freed. Renewing costs one full collection a minute per process.
"""

from __future__ import annotations

import gc
import sys
import time

RENEW_SECONDS = 60.0
_frozen_at_modules = 0  # len(sys.modules) at the last freeze; 0 before the first
_frozen_at = 0.0  # time.monotonic() of the last freeze


def keep_collections_cheap(now: float | None = None) -> bool:
    """Freeze what is alive now if modules were imported since the last freeze, if it is older
    than :data:`RENEW_SECONDS` (thawed and collected first), or if nothing was frozen yet.

    Cheap to call on every run: it compares two numbers. Returns whether it froze.
    """
    global _frozen_at_modules, _frozen_at
    loaded = len(sys.modules)
    now = time.monotonic() if now is None else now
    if loaded <= _frozen_at_modules and now - _frozen_at < RENEW_SECONDS:
        return False
    gc.unfreeze()  # what earlier freezes kept is looked at again, and freed if it is garbage now
    gc.collect()
    gc.freeze()
    _frozen_at_modules, _frozen_at = loaded, now
    return True
