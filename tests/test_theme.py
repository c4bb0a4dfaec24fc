"""The theme meets WCAG AA (review defect 7), the same theme reaches `trainer serve`."""

from __future__ import annotations

import tomllib

from tests.conftest import ROOT
from trainer.cli.serve import THEME, streamlit_command


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_formula_matches_known_values():
    assert round(contrast("#ffffff", "#000000"), 1) == 21.0
    assert round(contrast("#ff9900", "#ffffff"), 2) == 2.14  # the colour the review measured


def test_primary_colour_meets_wcag_aa_with_white_text_and_as_text():
    theme = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["theme"]
    primary = theme["primaryColor"]
    assert contrast(primary, "#ffffff") >= 4.5  # white label on a primary button
    assert contrast(primary, theme["backgroundColor"]) >= 4.5  # primary-coloured text
    assert contrast(primary, theme["secondaryBackgroundColor"]) >= 4.5  # ... in the sidebar


def test_trainer_serve_uses_the_same_theme():
    theme = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["theme"]
    assert theme == THEME
    command = streamlit_command(8501, "127.0.0.1")
    assert command[command.index("--theme.primaryColor") + 1] == theme["primaryColor"]
