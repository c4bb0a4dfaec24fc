"""Sign-in for the pages: who is signed in, their role, and the screens around it.

Sign-in is on when Streamlit's ``[auth]`` section is in ``.streamlit/secrets.toml`` (OpenID
Connect through ``st.login``; see docs/team-deployment.md). Then every page needs a signed-in
person, their profile is the one bound to their identity (``trainer.study.accounts``) and no
picker, link or widget can choose another; the pages pass :func:`current_actor` to the core,
which refuses what the role does not allow. One page lets a visitor in without signing in: the
workshop join page (:data:`GUEST_PAGES`), where the core lets them join as a guest only a room
whose host allows guests, and they own no profile (``permissions.GUEST``). Without ``[auth]`` the
trainer is in local mode and the sidebar says that anyone who can reach the server can use any
profile.

Tests replace :func:`signin_configured` and :func:`current_identity` (the only two readers of
``st.secrets`` and ``st.user``) to play a signed-in person of any role without a provider.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import streamlit as st
from sqlalchemy.engine import Engine

from trainer.access.claims import ClaimError, ClaimMode
from trainer.access.identity import Identity, IdentityError
from trainer.access.permissions import GUEST, AccessDenied, Action, Actor, require
from trainer.access.roles import RoleRules, RolesConfigError, load_rules
from trainer.store.tables import Profile
from trainer.study import accounts
from trainer.ui.plain import plain

# Pages a visitor may open without signing in (url paths): joining a workshop as a guest.
GUEST_PAGES = frozenset({"workshop"})
GUEST_NOTE = (
    "**Not signed in.** You can join a workshop as a guest when its host allows guests; "
    "sign in to keep your answers in your own progress."
)

LOCAL_MODE_NOTE = (
    "**Local mode**: no sign-in is configured, so anyone who can reach this server can use any "
    "profile. Fine on your own machine; for a team, configure sign-in (docs/team-deployment.md)."
)


def _secrets_table(name: str) -> Mapping[str, Any] | None:
    try:
        table = st.secrets.get(name)
    except Exception:  # no secrets.toml at all, or one Streamlit cannot parse: no such table
        return None
    return table if isinstance(table, Mapping) else None


def _plain_dict(value: Any) -> Any:
    """st.secrets' nested tables as ordinary dicts and lists (for the core's rules parser)."""
    if isinstance(value, Mapping):
        return {str(k): _plain_dict(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain_dict(v) for v in value]
    return value


def signin_configured() -> bool:
    """Whether ``[auth]`` is configured, i.e. this is a team deployment with sign-in."""
    auth = _secrets_table("auth")
    return auth is not None and "redirect_uri" in auth


def providers() -> list[str | None]:
    """The providers ``st.login`` may be called with: None for one unnamed provider in ``[auth]``
    itself, else the name of each ``[auth.<name>]`` table."""
    auth = _secrets_table("auth") or {}
    if "client_id" in auth:
        return [None]
    return [name for name, table in auth.items() if isinstance(table, Mapping)]


def role_rules() -> RoleRules:
    """The operator's role rules; a broken configuration stops the page (never a guessed role)."""
    trainer = _secrets_table("trainer") or {}
    try:
        return load_rules(_plain_dict(trainer.get("roles")))
    except RolesConfigError as exc:
        st.error(f"**The roles configuration cannot be used.** {plain(exc)}", icon=":material/lock:")
        st.stop()


def claim_mode() -> ClaimMode:
    """Which local profiles a signed-in person may claim (``[trainer] claim_profiles``; default
    ``reserved``); a value the trainer does not know is shown and turns claiming off."""
    trainer = _secrets_table("trainer") or {}
    try:
        return ClaimMode.parse(trainer.get("claim_profiles"))
    except ClaimError as exc:
        st.error(f"**The claim_profiles setting cannot be used.** {plain(exc)}", icon=":material/lock:")
        return ClaimMode.OFF


def current_identity() -> Identity | None:
    """The signed-in person, or None when nobody is signed in."""
    if not st.user.is_logged_in:
        return None
    try:
        return Identity.from_claims(st.user.to_dict(), groups_claim=role_rules().groups_claim)
    except IdentityError as exc:
        st.error(plain(exc), icon=":material/lock:")
        st.stop()


def current_actor() -> Actor | None:
    """Who the core checks: the signed-in person and their role; None in local mode; the guest
    (no profile, learner actions only) when sign-in is on and nobody is signed in, which only a
    page in :data:`GUEST_PAGES` ever sees (:func:`gate` stops every other)."""
    if not signin_configured():
        return None
    identity = current_identity()
    if identity is None:
        return GUEST
    return Actor(role=role_rules().role_of(identity), identity=identity)


def signed_out() -> bool:
    """Sign-in is on and nobody is signed in (the sign-in screen, or a guest on a workshop)."""
    return signin_configured() and current_identity() is None


# Pages that need more than the learner role, by URL path: left out of the menu of whoever may
# not use them (still served, they refuse in words; the core refuses the actions too).
ROLE_PAGES = {"workshop-host": Action.HOST_WORKSHOP, "reports": Action.READ_REPORTS}


def unlisted_pages() -> frozenset[str]:
    """URL paths the signed-in person's role cannot open; none in local mode."""
    actor = current_actor()
    if actor is None:
        return frozenset()
    return frozenset(path for path, action in ROLE_PAGES.items() if not actor.may(action))


def is_guest() -> bool:
    """Sign-in is on and nobody is signed in (only on a page in :data:`GUEST_PAGES`)."""
    actor = current_actor()
    return actor is not None and actor.guest


def sign_in_buttons(key: str = "signin", primary: bool = True) -> None:
    """One Sign in button per configured provider (``st.login`` leaves for the provider)."""
    kind: Literal["primary", "secondary"] = "primary" if primary else "secondary"
    for provider in providers():
        label = "Sign in" if provider is None else f"Sign in with {provider.replace('_', ' ').title()}"
        if st.button(label, type=kind, icon=":material/login:", key=f"{key}_{provider or 'default'}"):
            if provider is None:
                st.login()
            else:
                st.login(provider)


def gate(url_path: str | None = None, join_page: st.Page | None = None) -> None:
    """With sign-in on, stop the page with a sign-in screen unless someone is signed in (or the
    page is one a guest may open, ``url_path`` in :data:`GUEST_PAGES`); the screen links to
    ``join_page`` (the workshop page) for people who came for a workshop."""
    if not signin_configured() or current_identity() is not None or url_path in GUEST_PAGES:
        return
    st.title(":material/lock: Sign in")
    st.markdown("This trainer keeps each person's progress private. Sign in with your work account.")
    sign_in_buttons()
    if join_page is not None:
        st.page_link(
            join_page, label="Here for a live workshop? Join it with its code", icon=":material/groups:"
        )
    st.stop()


def sidebar() -> None:
    """Who is signed in with their role and Sign out, or the plain local-mode note; nothing for
    a guest (no menu either: the workshop page is all a guest may open)."""
    with st.sidebar:
        actor = current_actor()
        if actor is not None and actor.guest:  # the workshop page says it, with Sign in
            return
        if actor is None or actor.identity is None:
            st.caption(LOCAL_MODE_NOTE)
            return
        st.caption(f"Signed in as **{plain(actor.identity.display_name)}** · {actor.role.label}")
        if st.button("Sign out", icon=":material/logout:", key="signout"):
            st.logout()


def signed_in_profile(engine: Engine, timezone: str) -> Profile | None:
    """The signed-in person's own profile (made at first sign-in); None in local mode."""
    actor = current_actor()
    if actor is None or actor.identity is None:
        return None
    return accounts.profile_for_identity(engine, actor.identity, timezone)


def require_action(action: Action) -> Actor | None:
    """Stop the page with a plain message unless the actor may do ``action`` (checked by the core)."""
    actor = current_actor()
    try:
        require(actor, action)
    except AccessDenied as exc:
        st.error(plain(exc), icon=":material/block:")
        st.stop()
    return actor
