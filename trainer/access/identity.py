"""The signed-in person, as the OpenID Connect provider describes them.

A person is known by the provider's ``iss`` (issuer) and ``sub`` (subject) claims together: the
subject is unique and never reassigned within one issuer, while an e-mail address can change
hands. The e-mail, name and groups are read for display and for roles only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# Profile.signin_subject holds "<issuer> <subject>": a space cannot occur in an issuer URL.
KEY_SEPARATOR = " "


class IdentityError(ValueError):
    """The provider's claims lack what the trainer needs to know who someone is."""


@dataclass(frozen=True)
class Identity:
    """One signed-in person."""

    subject: str
    issuer: str
    email: str = ""
    name: str = ""
    groups: tuple[str, ...] = ()
    # Only a verified address may grant a role (an unverified one is whatever the user typed).
    email_verified: bool = False

    @property
    def key(self) -> str:
        """What binds a profile to this person (stored in ``profile.signin_subject``)."""
        return f"{self.issuer}{KEY_SEPARATOR}{self.subject}"

    @property
    def display_name(self) -> str:
        """The provider's name, else the address, else a neutral word (never the subject id)."""
        return self.name or self.email or "Signed-in user"

    @classmethod
    def from_claims(cls, claims: Mapping[str, Any], groups_claim: str = "groups") -> Identity:
        """The identity in an ID token's claims (``st.user`` is such a mapping)."""
        subject, issuer = claims.get("sub"), claims.get("iss")
        if not isinstance(subject, str) or not subject or not isinstance(issuer, str) or not issuer:
            raise IdentityError("The sign-in provider did not say who you are (no 'sub' or 'iss' claim).")
        raw_groups = claims.get(groups_claim) or ()
        if isinstance(raw_groups, str):
            raw_groups = (raw_groups,)
        verified = claims.get("email_verified")
        return cls(
            subject=subject,
            issuer=issuer,
            email=str(claims.get("email") or "").strip(),
            name=" ".join(str(claims.get("name") or "").split()),
            groups=tuple(str(group) for group in raw_groups if group is not None),
            email_verified=verified is True or str(verified).lower() == "true",
        )
