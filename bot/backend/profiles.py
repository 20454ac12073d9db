"""Typed view of the service profiles in ``data/services/<id>.yml``."""
from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, Dict, Mapping, Optional, Tuple

import yaml

from bot.paths import data_dir

FALLBACK_SERVICE = "learning"
# Kept for callers that read it once at import; default_service() reads the env each time.
DEFAULT_SERVICE = os.environ.get("BOT_DEFAULT_SERVICE") or FALLBACK_SERVICE


class ProfileError(ValueError):
    """A service profile file is missing a value or has a wrong one."""


class UnknownServiceError(LookupError):
    """No profile exists for the requested service id."""

    def __init__(self, service_id: object, known: Tuple[str, ...]) -> None:
        super().__init__(f"unknown service {service_id!r}; known services: {', '.join(known) or '(none)'}")
        self.service_id = service_id
        self.known = known


class Factor(str, Enum):
    """An identity factor a member can be asked for."""

    EMAIL = "email"
    BIRTHDATE = "birthdate"
    PHONE = "phone_number"


class RevealPolicy(str, Enum):
    """How a forgotten member number is given back."""

    MASKED_IN_CHAT_FULL_BY_MAIL = "masked_in_chat_full_by_mail"
    MAIL_ONLY = "mail_only"


class PostalItem(str, Enum):
    """Things sent by post after a number reissue."""

    STICKER = "sticker"  # 会員番号シール
    NOTICE = "notice"  # お知らせはがき


@dataclass(frozen=True)
class NumberFormat:
    """What the member number is called and what it looks like."""

    label: str
    digits: int
    pattern: str
    printed_on: Tuple[str, ...] = ()

    def matches(self, value: str) -> bool:
        """True when ``value`` is a well-formed number of this service."""
        return len(value) == self.digits and re.fullmatch(self.pattern, value) is not None


@dataclass(frozen=True)
class VerificationFactors:
    """Identity factors required before revealing or reissuing a number."""

    reveal: Tuple[Factor, ...]
    reissue: Tuple[Factor, ...]


@dataclass(frozen=True)
class ReissuePolicy:
    """What a number reissue sends by post, and how soon another reissue is allowed."""

    postal_items: Tuple[PostalItem, ...] = ()
    # A second request within this time gets the number just issued instead of another one.
    cooldown_minutes: int = 30


@dataclass(frozen=True)
class LockoutPolicy:
    """Limits on failed identity verification."""

    attempts_per_conversation: int = 3
    attempts_per_member: int = 5
    window_minutes: int = 30
    lock_minutes: int = 30


@dataclass(frozen=True)
class PasswordPolicy:
    """How passwords (or PINs) can be reset."""

    remote_reset: bool
    told_by_phone: bool = False
    reset_places: Tuple[str, ...] = ()
    single_sign_on: Tuple[str, ...] = ()
    login_failures_suspend_card: bool = False
    token_minutes: int = 30


@dataclass(frozen=True)
class RegistrationMailPolicy:
    """Resending the provisional-registration mail."""

    resend_limit_per_hour: int = 3
    subject: Optional[str] = None


@dataclass(frozen=True)
class SupportContacts:
    """Support hours and contact routes."""

    phone: Optional[str]
    phone_hours: Optional[str]
    form: Optional[str]
    chat_hours: Optional[str]


@dataclass(frozen=True)
class ServiceProfile:
    """One service's configuration."""

    id: str
    name: str
    kind: str
    number: NumberFormat
    mail_domain: str
    verification: VerificationFactors
    reveal_policy: RevealPolicy
    reissue: ReissuePolicy
    lockout: LockoutPolicy
    password: PasswordPolicy
    registration_mail: RegistrationMailPolicy
    support: SupportContacts
    never: Tuple[str, ...] = field(default_factory=tuple)

    def required_factors(self, purpose: str) -> Tuple[Factor, ...]:
        """Factors needed for ``purpose`` ("reveal" or "reissue")."""
        if purpose == "reveal":
            return self.verification.reveal
        if purpose == "reissue":
            return self.verification.reissue
        raise ValueError(f"unknown verification purpose {purpose!r}")


def default_service() -> str:
    """The service used when a channel does not say: env BOT_DEFAULT_SERVICE, else "learning"."""
    return os.environ.get("BOT_DEFAULT_SERVICE") or FALLBACK_SERVICE


def services_dir() -> Path:
    """Directory holding the profile files."""
    return data_dir() / "services"


_cache: Dict[Path, Dict[str, ServiceProfile]] = {}
_cache_lock = threading.Lock()


def all_profiles() -> Dict[str, ServiceProfile]:
    """Every profile, keyed by service id (read once per data directory)."""
    directory = services_dir()
    with _cache_lock:
        if directory not in _cache:
            _cache[directory] = _load_directory(directory)
        return dict(_cache[directory])


def get_profile(service_id: Optional[str] = None) -> ServiceProfile:
    """The profile of ``service_id`` (default service when None); unknown ids raise UnknownServiceError."""
    profiles = all_profiles()
    key = default_service() if service_id is None else service_id
    if not isinstance(key, str) or key not in profiles:
        raise UnknownServiceError(key, tuple(sorted(profiles)))
    return profiles[key]


def reload() -> None:
    """Forget cached profiles (after editing the YAML files)."""
    with _cache_lock:
        _cache.clear()


def _load_directory(directory: Path) -> Dict[str, ServiceProfile]:
    profiles: Dict[str, ServiceProfile] = {}
    for path in sorted(directory.glob("*.yml")):
        profile = load_profile(path)
        if profile.id != path.stem:
            raise ProfileError(f"{path}: id {profile.id!r} does not match the file name")
        profiles[profile.id] = profile
    return profiles


def load_profile(path: Path) -> ServiceProfile:
    """Parse and check one profile file."""
    with open(path, encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    try:
        return _parse(_Reader(raw, str(path)))
    except (KeyError, TypeError, ValueError) as error:
        if isinstance(error, ProfileError):
            raise
        raise ProfileError(f"{path}: {error}") from error


class _Reader:
    """Typed access to a YAML mapping with error messages that name the key."""

    def __init__(self, data: Any, where: str) -> None:
        if not isinstance(data, Mapping):
            raise ProfileError(f"{where}: expected a mapping")
        self.data = data
        self.where = where

    def sub(self, key: str, required: bool = True) -> "_Reader":
        value = self.data.get(key)
        if value is None and not required:
            return _Reader({}, f"{self.where}.{key}")
        return _Reader(value, f"{self.where}.{key}")

    def _get(self, key: str, kind: type, required: bool, default: Any) -> Any:
        if key not in self.data or self.data[key] is None:
            if required:
                raise ProfileError(f"{self.where}: missing {key!r}")
            return default
        value = self.data[key]
        if kind is int and isinstance(value, bool) or not isinstance(value, kind):
            raise ProfileError(f"{self.where}.{key}: expected {kind.__name__}, got {value!r}")
        return value

    def text(self, key: str, required: bool = True, default: Optional[str] = None) -> Optional[str]:
        return self._get(key, str, required, default)

    def integer(self, key: str, required: bool = True, default: int = 0, minimum: int = 1) -> int:
        value = self._get(key, int, required, default)
        if value < minimum:
            raise ProfileError(f"{self.where}.{key}: must be at least {minimum}")
        return value

    def flag(self, key: str, required: bool = True, default: bool = False) -> bool:
        return self._get(key, bool, required, default)

    def texts(self, key: str, required: bool = False) -> Tuple[str, ...]:
        values = self._get(key, list, required, [])
        if not all(isinstance(item, str) for item in values):
            raise ProfileError(f"{self.where}.{key}: expected a list of text")
        return tuple(values)


def _enum_list(reader: _Reader, key: str, enum: type, required: bool = True) -> Tuple[Any, ...]:
    values = reader.texts(key, required=required)
    try:
        return tuple(enum(value) for value in values)
    except ValueError:
        allowed = ", ".join(member.value for member in enum)
        raise ProfileError(f"{reader.where}.{key}: values must be among {allowed}") from None


def _parse(root: _Reader) -> ServiceProfile:
    number_reader = root.sub("number")
    number = NumberFormat(
        label=number_reader.text("label"),
        digits=number_reader.integer("digits"),
        pattern=number_reader.text("pattern"),
        printed_on=number_reader.texts("printed_on"),
    )
    try:
        re.compile(number.pattern)
    except re.error as error:
        raise ProfileError(f"{number_reader.where}.pattern: {error}") from None

    verification_reader = root.sub("verification")
    verification = VerificationFactors(
        reveal=_enum_list(verification_reader, "reveal", Factor),
        reissue=_enum_list(verification_reader, "reissue", Factor),
    )
    for purpose, factors in (("reveal", verification.reveal), ("reissue", verification.reissue)):
        # The e-mail address is what finds the member; the other factors confirm it.
        if Factor.EMAIL not in factors:
            raise ProfileError(f"{verification_reader.where}.{purpose}: must include email")

    policy_text = root.text("reveal_policy", required=False, default=RevealPolicy.MASKED_IN_CHAT_FULL_BY_MAIL.value)
    try:
        reveal_policy = RevealPolicy(policy_text)
    except ValueError:
        raise ProfileError(f"{root.where}.reveal_policy: unknown policy {policy_text!r}") from None

    reissue_reader = root.sub("reissue", required=False)
    lockout_reader = root.sub("lockout", required=False)
    password_reader = root.sub("password")
    registration_reader = root.sub("registration_mail", required=False)
    support_reader = root.sub("support")
    defaults = LockoutPolicy()
    return ServiceProfile(
        id=root.text("id"),
        name=root.text("name"),
        kind=root.text("kind", required=False, default=""),
        number=number,
        mail_domain=root.text("mail_domain"),
        verification=verification,
        reveal_policy=reveal_policy,
        reissue=ReissuePolicy(
            postal_items=_enum_list(reissue_reader, "postal_items", PostalItem, required=False),
            cooldown_minutes=reissue_reader.integer("cooldown_minutes", required=False, default=30),
        ),
        lockout=LockoutPolicy(
            attempts_per_conversation=lockout_reader.integer(
                "attempts_per_conversation", required=False, default=defaults.attempts_per_conversation
            ),
            attempts_per_member=lockout_reader.integer(
                "attempts_per_member", required=False, default=defaults.attempts_per_member
            ),
            window_minutes=lockout_reader.integer("window_minutes", required=False, default=defaults.window_minutes),
            lock_minutes=lockout_reader.integer("lock_minutes", required=False, default=defaults.lock_minutes),
        ),
        password=PasswordPolicy(
            remote_reset=password_reader.flag("remote_reset"),
            told_by_phone=password_reader.flag("told_by_phone", required=False),
            reset_places=password_reader.texts("reset_places"),
            single_sign_on=password_reader.texts("single_sign_on"),
            login_failures_suspend_card=password_reader.flag("login_failures_suspend_card", required=False),
            token_minutes=password_reader.integer("token_minutes", required=False, default=30),
        ),
        registration_mail=RegistrationMailPolicy(
            resend_limit_per_hour=registration_reader.integer("resend_limit_per_hour", required=False, default=3),
            subject=registration_reader.text("subject", required=False),
        ),
        support=SupportContacts(
            phone=support_reader.text("phone", required=False),
            phone_hours=support_reader.text("phone_hours", required=False),
            form=support_reader.text("form", required=False),
            chat_hours=support_reader.text("chat_hours", required=False),
        ),
        never=root.texts("never"),
    )
