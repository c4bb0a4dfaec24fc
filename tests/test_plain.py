"""trainer.ui.plain: user text inside Streamlit Markdown stays literal text.

The browser test (tests/test_browser_plain_text.py) shows the result on real pages; these tests
pin the escaping rules themselves. ``trainer.ui.plain`` imports no streamlit, so importing it
here is safe.
"""

from __future__ import annotations

import pytest

from trainer.ui.plain import ELLIPSIS, WORD_JOINER, plain

HOSTILE = [
    "![p](http://evil.example/pixel.png)**B**",
    "[log in again here](https://evil.example/login)",
    "<img src=x onerror=alert(1)>",
    ":red[big] :material/warning: $x^2$",
    "# heading",
    "https://evil.example/phish and www.evil.example",
    "`code` ~~strike~~ | table |",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_syntax_is_escaped(text):
    shown = plain(text)
    # Every inline syntax character is preceded by a backslash, so nothing is markup.
    for i, ch in enumerate(shown):
        if ch in "`*_[]!<>&|~:$":
            assert shown[i - 1] == "\\", (text, shown, i)
    # Removing the escapes and the word joiners gives the text back exactly.
    unescaped = shown.replace("\\\\", "\x00").replace("\\", "").replace("\x00", "\\")
    assert unescaped.replace(WORD_JOINER, "") == text


def test_ordinary_punctuation_stays_readable():
    assert plain("private-a is 93% full (peak).") == "private-a is 93% full (peak)."


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("# Admin", "\\# Admin"),
        ("- item", "\\- item"),
        ("> quote", "\\> quote"),
        ("12. point", "12\\. point"),
        ("3) point", "3\\) point"),
        ("a - b", "a - b"),
    ],
)
def test_a_block_marker_at_the_start_is_escaped(text, shown):
    assert plain(text) == shown


def test_a_backslash_is_itself_escaped():
    assert plain("a\\*b") == "a\\\\\\*b"


def test_line_breaks_cannot_start_a_block():
    # One line: "# Admin" is no longer at the start of a line, so it cannot be a heading.
    assert plain("Ana\n# Admin\n- item") == "Ana # Admin - item"


def test_control_and_format_characters_are_dropped():
    # NUL, ESC, a right-to-left override and a zero-width space: what is stored is shown.
    assert plain("a\x00b\x1bc\u202egnp\u200bexe") == "abcgnpexe"


def test_letters_digits_and_other_scripts_are_untouched():
    assert plain("Ana Łukasz 李 42") == "Ana Łukasz 李 42"


def test_limit_cuts_before_escaping():
    assert plain("abcdef", limit=3) == "abc" + ELLIPSIS
    assert plain("**", limit=1) == "\\*" + ELLIPSIS
    assert plain("abc", limit=3) == "abc"


def test_any_object_is_shown_through_str():
    assert plain(ValueError("bad [x](y)")) == "bad \\[x\\](y)"


def test_bare_addresses_are_broken_for_the_autolinker():
    # GFM links "https://…", "www.…" and "a@b.c" even when their punctuation is escaped.
    assert plain("https://x.io") == f"https{WORD_JOINER}\\://x.io"
    assert plain("WWW.x.io") == f"WWW{WORD_JOINER}.x.io"
    assert plain("ana@x.io") == f"ana@{WORD_JOINER}x.io"
    # Words that only start like a scheme are left alone.
    assert plain("httpd wwwroot") == "httpd wwwroot"
