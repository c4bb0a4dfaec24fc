"""Keep the garbage collection Streamlit runs after every script run cheap (call
:func:`keep_collections_cheap` at the top of a page or polling fragment).

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
- freeze again only when new modules were imported since (another page pulled in a charting
  library, say), so the number of freezes is bounded by the app's imports, not by its runs.
  Each freeze can keep at most the current run's own short-lived cycles (a page's namespace).
"""

from __future__ import annotations

import gc
import sys

_frozen_at_modules = 0  # len(sys.modules) at the last freeze; 0 before the first


def keep_collections_cheap() -> bool:
    """Freeze what is alive now if modules were imported since the last freeze (or never frozen).

    Cheap to call on every run: it compares one number. Returns whether it froze.
    """
    global _frozen_at_modules
    loaded = len(sys.modules)
    if loaded <= _frozen_at_modules:
        return False
    gc.collect()
    gc.freeze()
    _frozen_at_modules = loaded
    return True
