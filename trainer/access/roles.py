"""Roles, and who has which: decided by the operator's configuration, never by the user.

* learner (everyone signed in): studies, takes exams, joins workshops — their own data only;
* facilitator: also hosts workshops (and, later, sees their teams);
* maintainer: also reads and resolves question reports; everything a facilitator may do.

The configuration names people by verified e-mail address, by e-mail domain, or by a group in
the provider's groups claim; the highest role that matches wins. It is read from the TOML or YAML
file named by ``TRAINER_ROLES_FILE``, else from the ``[trainer.roles]`` table of Streamlit's
``secrets.toml`` (the UI passes that table in). For example, with Microsoft Entra ID or Okta
sending group names (or Entra's group object ids) in the ``groups`` claim::

    [trainer.roles]
    groups_claim = "groups"

    [trainer.roles.maintainer]
    emails = ["ana.silva@example.com"]
    groups = ["trainer-maintainers"]

    [trainer.roles.facilitator]
    domains = []
    groups = ["trainer-facilitators", "5f0c3e1a-0000-4000-8000-000000000000"]

The file given by ``TRAINER_ROLES_FILE`` holds the same keys at its top level (``groups_claim``,
``maintainer``, ``facilitator``). docs/team-deployment.md walks through Google Workspace too.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml

from trainer.access.identity import Identity

ROLES_FILE_ENV = "TRAINER_ROLES_FILE"


class Role(StrEnum):
    """What a signed-in person may do; each role includes the ones before it."""

    LEARNER = "learner"
    FACILITATOR = "facilitator"
    MAINTAINER = "maintainer"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def includes(self, other: Role) -> bool:
        """Whether this role may do what ``other`` may (a maintainer may host a workshop)."""
        return self.rank >= other.rank


class RolesConfigError(ValueError):
    """The roles configuration cannot be read; the message names the file and what is wrong."""


@dataclass(frozen=True)
class Grant:
    """Who gets one role: verified e-mail addresses, e-mail domains, and provider groups."""

    emails: frozenset[str] = frozenset()
    domains: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset()

    def matches(self, identity: Identity) -> bool:
        if self.groups.intersection(identity.groups):
            return True
        if not identity.email_verified or "@" not in identity.email:
            return False
        email = identity.email.casefold()
        return email in self.emails or email.rpartition("@")[2] in self.domains


@dataclass(frozen=True)
class RoleRules:
    """The operator's role configuration. Empty rules make everyone a learner."""

    grants: Mapping[Role, Grant] = field(default_factory=dict)
    groups_claim: str = "groups"

    def role_of(self, identity: Identity) -> Role:
        """The highest role whose grant matches; learner when none does."""
        for role in sorted(self.grants, key=lambda r: r.rank, reverse=True):
            if self.grants[role].matches(identity):
                return role
        return Role.LEARNER


def _strings(value: Any, where: str) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise RolesConfigError(f'{where} must be a list of strings, e.g. ["a@example.com"].')
    return frozenset(str(item).strip() for item in value if str(item).strip())


def rules_from_mapping(data: Mapping[str, Any] | None, source: str = "[trainer.roles]") -> RoleRules:
    """Rules from a parsed table (a ``[trainer.roles]`` table or a roles file)."""
    if not data:
        return RoleRules()
    if not isinstance(data, Mapping):
        raise RolesConfigError(f"{source} must be a table of roles.")
    known = {role.value for role in Role if role is not Role.LEARNER}
    unknown = sorted(set(data) - known - {"groups_claim"})
    if unknown:
        raise RolesConfigError(
            f"{source}: unknown key {unknown[0]!r}; use groups_claim, facilitator or maintainer."
        )
    grants: dict[Role, Grant] = {}
    for name in sorted(known):
        table = data.get(name)
        if table is None:
            continue
        if not isinstance(table, Mapping):
            raise RolesConfigError(f"{source}: {name} must be a table with emails, domains or groups.")
        extra = sorted(set(table) - {"emails", "domains", "groups"})
        if extra:
            raise RolesConfigError(
                f"{source}: {name} has unknown key {extra[0]!r}; use emails, domains or groups."
            )
        where = f"{source}: {name}"
        grants[Role(name)] = Grant(
            emails=frozenset(e.casefold() for e in _strings(table.get("emails"), f"{where}.emails")),
            domains=frozenset(
                d.casefold().lstrip("@") for d in _strings(table.get("domains"), f"{where}.domains")
            ),
            groups=_strings(table.get("groups"), f"{where}.groups"),
        )
    claim = data.get("groups_claim", "groups")
    if not isinstance(claim, str) or not claim:
        raise RolesConfigError(f'{source}: groups_claim must be the name of a claim, e.g. "groups".')
    return RoleRules(grants=grants, groups_claim=claim)


def rules_from_file(path: str | Path) -> RoleRules:
    """Rules from a TOML (``.toml``) or YAML file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        raise RolesConfigError(
            f"The roles file {path.name} cannot be read; check {ROLES_FILE_ENV}."
        ) from None
    try:
        data = tomllib.loads(text) if path.suffix.lower() == ".toml" else yaml.safe_load(text)
    except (tomllib.TOMLDecodeError, yaml.YAMLError):
        raise RolesConfigError(f"The roles file {path.name} is not valid TOML or YAML.") from None
    if isinstance(data, Mapping) and set(data) == {"trainer"}:  # a copy of secrets.toml's table
        data = data["trainer"].get("roles") if isinstance(data["trainer"], Mapping) else data
    return rules_from_mapping(data, source=path.name)


def load_rules(secrets_table: Mapping[str, Any] | None = None) -> RoleRules:
    """The operator's rules: ``TRAINER_ROLES_FILE`` when set, else the given secrets table."""
    path = os.environ.get(ROLES_FILE_ENV, "").strip()
    if path:
        return rules_from_file(path)
    return rules_from_mapping(secrets_table)
