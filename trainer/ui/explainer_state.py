"""The URL and preset state every explainer page shares: one settings value, three places.

An explainer's settings live in three places at once: the sidebar widgets (under
``st.session_state[prefix + name]``), the preset selectbox and the address bar. Keeping them in
step is the same work on every page: read the query only when it changed since the page last
wrote it (otherwise the page's own rewrites would reset the controls), fall back to the defaults
with one plain notice when a link is tampered with, put a preset's settings into the widgets,
rewrite ``st.query_params`` only when it differs, and tell the learner when the settings no
longer are the chosen preset's. :class:`ExplainerState` does that work once, generic over the
page's settings type; each page keeps only what is its own: its controls, how widget values map
to settings, and how its settings map to a query.

The session_state keys are ``prefix + "preset"``, ``prefix + "seen_query"``, ``prefix +
notice_name`` and, for pages that hide controls, ``prefix + model_name``: the AppTests and shared
links rely on them, so they must not change.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar
from urllib.parse import urlencode

import streamlit as st

from trainer.explainers.traffic import SimulationError
from trainer.ui.plain import plain

CUSTOM = "custom"
"""The preset selectbox's entry for settings that are no preset's."""

S = TypeVar("S")
S_co = TypeVar("S_co", covariant=True)


class PresetLike(Protocol[S_co]):
    """What the page needs from a preset: its settings and the words that explain it."""

    @property
    def settings(self) -> S_co: ...

    @property
    def title(self) -> str: ...

    @property
    def idea(self) -> str: ...

    @property
    def watch(self) -> str: ...


def _sentence(problem: str) -> str:
    """A problem as a sentence, so several read as several ("… not understood. Showing …")."""
    problem = problem.strip()
    return problem if problem.endswith((".", "!", "?")) else problem + "."


def _same(settings: S) -> S:
    return settings


@dataclass(frozen=True)
class ExplainerState(Generic[S]):
    """One explainer page's settings state: its widget keys, presets and URL.

    ``widget_values`` turns settings into the value of every control (names without the
    prefix). ``query_keys`` are the query parameters the page owns besides ``preset`` (None: the
    whole query is the page's). ``canonical`` is applied to a preset's settings before they are
    compared with the learner's, for pages whose settings have several spellings of one value.
    ``model_name`` is set by pages that hide controls: Streamlit forgets a widget not drawn in a
    run, so every value is also kept in a model dict under that key.
    """

    prefix: str
    presets: Mapping[str, PresetLike[S]]
    default: Callable[[], S]
    widget_values: Callable[[S], dict[str, Any]]
    query_keys: tuple[str, ...] | None = None
    canonical: Callable[[S], S] = _same
    notice_name: str = "notice"
    model_name: str | None = None

    # --- Keys -----------------------------------------------------------------------------

    def key(self, name: str) -> str:
        """The session_state and widget key of a control."""
        return self.prefix + name

    @property
    def preset_key(self) -> str:
        return self.prefix + "preset"

    @property
    def seen_key(self) -> str:
        """The query the page last read or wrote: a URL equal to it is the page's own."""
        return self.prefix + "seen_query"

    @property
    def notice_key(self) -> str:
        return self.prefix + self.notice_name

    @property
    def chosen(self) -> str:
        """The preset selectbox's value (an id or :data:`CUSTOM`)."""
        return str(st.session_state[self.preset_key])

    @property
    def notice(self) -> str | None:
        """What went wrong with the link the page was opened with, if anything."""
        notice: str | None = st.session_state.get(self.notice_key)
        return notice

    # --- Settings <-> widgets -------------------------------------------------------------

    def apply(self, settings: S) -> None:
        """Put these settings into every control (before the controls are drawn)."""
        values = self.widget_values(settings)
        if self.model_name is not None:
            st.session_state[self.key(self.model_name)] = values
        for name, value in values.items():
            st.session_state[self.key(name)] = value

    def load(self, settings: S, preset: str | None) -> None:
        """Apply the settings and select ``preset`` (or :data:`CUSTOM`) in the selectbox."""
        self.apply(settings)
        st.session_state[self.preset_key] = preset or CUSTOM

    def restore_hidden(self) -> None:
        """Give controls that were not drawn in the last run their remembered value back."""
        assert self.model_name is not None, "restore_hidden needs a model_name"
        model = st.session_state.setdefault(self.key(self.model_name), self.widget_values(self.default()))
        for name, value in model.items():
            st.session_state.setdefault(self.key(name), value)
        st.session_state.setdefault(self.preset_key, CUSTOM)

    def remember(self) -> dict[str, Any]:
        """Every control's value: the drawn ones from their widgets, the hidden ones remembered."""
        assert self.model_name is not None, "remember needs a model_name"
        model: dict[str, Any] = st.session_state[self.key(self.model_name)]
        for name in model:
            if self.key(name) in st.session_state:
                model[name] = st.session_state[self.key(name)]
        return model

    def values(self) -> dict[str, Any]:
        """Every control's value, for pages that draw every control on every run."""
        return {name: st.session_state[self.key(name)] for name in self.widget_values(self.default())}

    # --- Presets --------------------------------------------------------------------------

    def matching_preset(self, settings: S) -> str | None:
        """The id of the preset whose settings these are, if any."""
        return next((pid for pid, p in self.presets.items() if self.canonical(p.settings) == settings), None)

    def unchanged_preset(self, settings: S) -> str | None:
        """The chosen preset's id while the settings are still exactly that preset's."""
        chosen = self.chosen
        if chosen in self.presets and self.canonical(self.presets[chosen].settings) == settings:
            return chosen
        return None

    def on_preset(self) -> None:
        """Selectbox callback: load the chosen preset's settings (Custom keeps the current ones)."""
        chosen = self.chosen
        if chosen in self.presets:
            self.apply(self.presets[chosen].settings)

    def reset(self) -> None:
        """Reset button callback: the chosen preset's settings, or the defaults for Custom."""
        chosen = self.chosen
        self.apply(self.presets[chosen].settings if chosen in self.presets else self.default())

    def preset_controls(
        self,
        on_preset: Callable[[], None] | None = None,
        on_reset: Callable[[], None] | None = None,
        side_by_side: bool = False,
    ) -> None:
        """The preset selectbox and its reset button: stacked (the sidebar), or side by side in
        the main column, where Streamlit stacks them again on a phone."""
        presets = self.presets
        pick, reset = st.columns([3, 2], vertical_alignment="bottom") if side_by_side else (st, st)
        pick.selectbox(
            "Preset",
            [CUSTOM, *presets],
            key=self.preset_key,
            on_change=on_preset or self.on_preset,
            format_func=lambda p: "Custom settings" if p == CUSTOM else presets[p].title,
        )
        reset.button(
            "Reset to the preset's settings",
            on_click=on_reset or self.reset,
            key=self.key("reset"),
            width="stretch",
        )

    def settings_panel(
        self,
        sections: Sequence[str],
        on_preset: Callable[[], None] | None = None,
        open_tab: str | None = None,
    ) -> list[Any]:
        """The preset picker, then one folded "Settings" expander with a tab per group of
        controls, at the top of the main column; returns the tabs to draw the controls in.
        ``open_tab`` is the section shown first (the first one unless given), for pages whose
        view decides which settings matter.

        Why not the sidebar: on a phone the sidebar is folded away behind a small icon (the page
        would say "change the settings in the sidebar" to someone who cannot see one), and on a
        desktop the app's navigation fills it, so the controls start below the fold. Tabs keep
        the open panel short on both, and folded by default the chart stays on the first screen.
        Every control is drawn in every run (tabs and expanders only hide), so the widget keys,
        presets and links work as before.
        """
        self.preset_controls(on_preset=on_preset, side_by_side=True)
        with st.expander("Settings: " + ", ".join(s.lower() for s in sections), icon=":material/tune:"):
            return list(st.tabs(list(sections), default=open_tab))

    def explain_preset(self, changed: bool) -> None:
        """The chosen preset's idea and what to watch; a note when the learner changed its settings."""
        chosen = self.chosen
        if chosen not in self.presets:
            return
        p = self.presets[chosen]
        st.info(f"**{p.title}.** {p.idea}\n\n**What to watch:** {p.watch}", icon=":material/lightbulb:")
        if changed:
            st.caption(
                "You changed the preset's settings: the explanation above is about the original "
                "ones. *Reset to the preset's settings* brings them back."
            )

    def unknown_preset_notice(self, wanted: str) -> str:
        """The one plain line for a link naming a preset that does not exist."""
        return (
            f"There is no preset called “{plain(wanted, 40)}”; showing the default settings. "
            f"The presets are: {', '.join(self.presets)}."
        )

    # --- The URL --------------------------------------------------------------------------

    def query(self) -> dict[str, str]:
        """The page's part of the query (``preset`` and its settings)."""
        query = st.query_params.to_dict()
        if self.query_keys is None:
            return query
        return {k: v for k, v in query.items() if k == "preset" or k in self.query_keys}

    def remember_url(self, query: dict[str, str]) -> None:
        """Note the query as read, and forget the notice about the previous link."""
        st.session_state[self.seen_key] = query
        st.session_state[self.notice_key] = None

    def url_changed(self, query: dict[str, str]) -> bool:
        """True when the URL is not the one the page last read or wrote; remembers it if so."""
        if query == st.session_state.get(self.seen_key):
            return False
        self.remember_url(query)
        return True

    def read_url(self, parse: Callable[[dict[str, str], S], S], ready: str) -> None:
        """Load what the URL asks for, when it changed since the page last read or wrote it.

        ``parse(settings_query, base)`` reads the settings parameters over ``base`` (the named
        preset's settings, or the defaults) and raises :class:`SimulationError` when they
        cannot be used. ``ready`` names a control whose presence means the page was loaded once.
        """
        query = self.query()
        if query == st.session_state.get(self.seen_key) and self.key(ready) in st.session_state:
            return
        self.remember_url(query)
        wanted = query.pop("preset", None)
        if wanted is not None and wanted not in self.presets:
            st.session_state[self.notice_key] = self.unknown_preset_notice(wanted)
            self.load(self.default(), None)
            return
        base = self.presets[wanted].settings if wanted else self.default()
        if not query:
            self.load(base, wanted)
            return
        try:
            settings = self.canonical(parse(query, base))
        except SimulationError as exc:
            st.session_state[self.notice_key] = (
                f"This link's settings can't be used: {plain(' '.join(_sentence(p) for p in exc.problems))} "
                "Showing the default settings."
            )
            self.load(self.default(), None)
            return
        self.load(settings, self.matching_preset(settings))

    def read_link(self, from_query: Callable[[dict[str, str], Any], tuple[S, str | None]]) -> None:
        """Load what the URL asks for, when it changed, for pages whose links module reads the
        whole query itself, preset included: ``from_query(query, presets)`` returns the settings
        and the preset id they still are, or raises :class:`SimulationError` with one sentence."""
        query = self.query()
        if not self.url_changed(query):
            return
        try:
            settings, preset = from_query(query, self.presets)
        except SimulationError as exc:
            st.session_state[self.notice_key] = (
                f"This link could not be used: {plain(exc)}. Showing the default settings."
            )
            settings, preset = self.default(), None
        self.load(self.canonical(settings), preset)

    def write_url(self, wanted: dict[str, str], current: dict[str, str] | None = None) -> None:
        """Rewrite the query only when it differs from ``wanted``, and remember it as the page's own.

        ``current`` is what ``wanted`` is compared with (the page's part of the query unless
        given): rewriting an equal query would make Streamlit run the page again for nothing.
        """
        if (self.query() if current is None else current) != wanted:
            st.query_params.from_dict(wanted)
        st.session_state[self.seen_key] = wanted

    def with_preset(self, query: dict[str, str], preset: str | None) -> dict[str, str]:
        """``preset=<id>`` first, then the settings, when the settings are still the preset's."""
        return {"preset": preset, **query} if preset else query

    def share_link(self, page: str, query: dict[str, str]) -> None:
        """The address of this view, to copy: the address bar may not be at hand (an embed, a phone)."""
        base = st.context.url or f"/{page}"
        st.caption("Link to this view (every setting is in it):")
        st.code(f"{base}?{urlencode(query)}", language=None)
