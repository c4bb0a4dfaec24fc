"""Text a person typed, or a URL carried, made safe to show inside Streamlit's Markdown.

Almost every Streamlit call that shows text (``markdown``, ``caption``, ``info``, ``error``,
``subheader``, widget labels and ``help``) renders its argument as GitHub-flavoured Markdown with
Streamlit's own extensions (``:red[...]``, ``:material/icon:``, ``$math$``). A profile name such
as ``![x](https://tracker/pixel.png)`` would load a tracking image for everyone who sees it, and
a report text could put a clickable "log in again here" link in front of a maintainer.

:func:`plain` is the one way user text enters such a call. Line breaks become spaces, so the
text is one run of inline content; in it, every character that is syntax inline is
backslash-escaped (links and images ``[ ] !``, emphasis ``* _ ~``, code ````` ``, HTML and
autolinks ``< >``, entities ``&``, tables ``|``, Streamlit's ``:directives:`` and ``$math$``),
and so is a first character that could open a block (a heading, list or quote) should the text
begin a line. Other punctuation (``- . ( ) %``) is left as typed, so the Markdown source stays
readable. Control and format characters (bidi overrides, zero-width characters) are dropped so
what is shown is what was stored, visibly.

Escaping is not enough for bare addresses: Streamlit's GFM autolinker runs on the text *after*
escapes are resolved, so ``http\\://evil`` still became a link (a browser test caught it). A
word joiner (U+2060, invisible and zero-width) is put after ``http``/``https``/``ftp``/``www``
when a ``:`` or ``.`` follows, and after every ``@``, which breaks the autolinker's patterns
without changing what the reader sees.
This module does not import streamlit: it is pure string work, testable on its own.
"""

from __future__ import annotations

import re
import unicodedata

# Characters that are syntax anywhere in a line of GFM or in Streamlit's extensions.
_INLINE = frozenset("\\`*_[]!<>&|~:$")
# A line that starts with one of these (or with "12." / "12)") opens a block.
_BLOCK_START = re.compile(r"^\s*([#>+=-]|\d+[.)])")
_SPACES = frozenset("\r\n\t\v\f\x85\u2028\u2029")
ELLIPSIS = "…"
WORD_JOINER = "\u2060"
# What GFM's autolink literal extension starts a link at: a scheme or "www" before ":" or ".",
# and the "@" of an e-mail address.
_LINK_START = re.compile(r"(?i)(https?|ftp|www)(?=[:.])|@")


def _visible(ch: str) -> str:
    if ch in _SPACES:
        return " "
    # Cc: control characters (NUL, ESC …); Cf: format characters (bidi overrides, zero-width).
    if unicodedata.category(ch) in ("Cc", "Cf"):
        return ""
    return ch


def plain(text: object, limit: int | None = None) -> str:
    """``text`` as literal characters in Markdown, cut to ``limit`` characters (plus "…") if given.

    Use it for every piece of user-typed or URL-carried text inside a Markdown string, e.g.
    ``st.caption(f"Studying as **{plain(profile.name)}**")``; the surrounding formatting stays.
    """
    shown = "".join(_visible(ch) for ch in str(text))
    if limit is not None and len(shown) > limit:
        shown = shown[:limit].rstrip() + ELLIPSIS
    shown = _LINK_START.sub(lambda m: m.group(0) + WORD_JOINER, shown)
    shown = "".join("\\" + ch if ch in _INLINE else ch for ch in shown)
    start = _BLOCK_START.match(shown)
    if start:
        cut = start.end(1) - 1  # escape the marker's last character: "#", "-" or the "." of "12."
        shown = shown[:cut] + "\\" + shown[cut:]
    return shown
