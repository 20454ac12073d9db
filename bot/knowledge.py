"""Per-service FAQ answers from ``data/knowledge/<service_id>.yml``.

Each knowledge file looks like::

    service: learning
    answers:
      where_is_number: |
        {name}の{number_label}（{digits}桁の数字）は、…

The answers are templates. Facts that belong to a service profile (its name, number
label, support phone, hours, mail domain, …) are written as ``{placeholder}`` and filled
from ``data/services/<service_id>.yml``, so each fact lives in exactly one place.

Placeholders (see ``PLACEHOLDERS``):

=====================  ==========================================
``{name}``             profile ``name``
``{number_label}``     ``number.label`` (会員番号 / お客様番号)
``{digits}``           ``number.digits``
``{support_phone}``    ``support.phone``
``{phone_hours}``      ``support.phone_hours``
``{support_form}``     ``support.form``
``{chat_hours}``       ``support.chat_hours``
``{mail_domain}``      ``mail_domain``
``{lock_minutes}``     ``lockout.lock_minutes``
``{registration_subject}``  ``registration_mail.subject``
=====================  ==========================================

A placeholder whose profile value is missing or null (e.g. ``{support_phone}`` for a
service without a phone line) is an error in the knowledge file, reported when the
service is first loaded; so is an unknown placeholder. Files are read once per data
directory and cached; ``reload()`` clears the cache.

The data directory is ``bot.paths.data_dir()`` (``<repo>/data``, env ``BOT_DATA_DIR``
overrides). Profiles are read straight from ``<data>/services/<id>.yml`` so this module
does not depend on ``bot.backend``.
"""
from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any, Callable, Mapping

import yaml

from bot.paths import data_dir

__all__ = [
    "PLACEHOLDERS",
    "KnowledgeError",
    "UnknownServiceError",
    "UnknownLabelError",
    "answer",
    "labels",
    "services",
    "template_values",
    "reload",
]


class KnowledgeError(ValueError):
    """A knowledge file or its profile is malformed (bad placeholder, missing value, …)."""


class _ReadableKeyError(KeyError):
    # KeyError.__str__ repr()s its argument; show the message as written instead.
    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class UnknownServiceError(_ReadableKeyError):
    """No knowledge file (or no profile) for the requested service id."""


class UnknownLabelError(_ReadableKeyError):
    """The service has no answer for the requested label."""


def _dig(*path: str) -> Callable[[Mapping[str, Any]], Any]:
    def get(profile: Mapping[str, Any]) -> Any:
        value: Any = profile
        for key in path:
            if not isinstance(value, Mapping):
                return None
            value = value.get(key)
        return value

    return get


#: placeholder name -> how to read it from a service profile
PLACEHOLDERS: dict[str, Callable[[Mapping[str, Any]], Any]] = {
    "name": _dig("name"),
    "number_label": _dig("number", "label"),
    "digits": _dig("number", "digits"),
    "support_phone": _dig("support", "phone"),
    "phone_hours": _dig("support", "phone_hours"),
    "support_form": _dig("support", "form"),
    "chat_hours": _dig("support", "chat_hours"),
    "mail_domain": _dig("mail_domain"),
    "lock_minutes": _dig("lockout", "lock_minutes"),
    "registration_subject": _dig("registration_mail", "subject"),
}

_PLACEHOLDER_RE = re.compile(r"\{([^{}\s]*)\}")

_lock = threading.Lock()
# data dir -> {service id: path of its knowledge file}
_index_cache: dict[Path, dict[str, Path]] = {}
# (data dir, service id) -> {label: filled answer}
_answer_cache: dict[tuple[Path, str], dict[str, str]] = {}


def _root() -> Path:
    return Path(data_dir()).resolve()


def _read_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _index(root: Path) -> dict[str, Path]:
    cached = _index_cache.get(root)
    if cached is None:
        folder = root / "knowledge"
        cached = {p.stem: p for p in sorted(folder.glob("*.yml"))} if folder.is_dir() else {}
        _index_cache[root] = cached
    return cached


def _read_profile(root: Path, service: str) -> Mapping[str, Any]:
    path = root / "services" / f"{service}.yml"
    if not path.is_file():
        raise UnknownServiceError(
            f"knowledge for service {service!r} exists but its profile {path} is missing"
        )
    profile = _read_yaml(path)
    if not isinstance(profile, Mapping):
        raise KnowledgeError(f"{path}: a service profile must be a mapping")
    return profile


def _values(profile: Mapping[str, Any]) -> dict[str, str]:
    values: dict[str, str] = {}
    for key, get in PLACEHOLDERS.items():
        value = get(profile)
        if value is not None and str(value).strip():
            values[key] = str(value)
    return values


def _fill(text: str, values: Mapping[str, str], where: str) -> str:
    def sub(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in PLACEHOLDERS:
            raise KnowledgeError(
                f"{where}: unknown placeholder {{{key}}} "
                f"(known: {', '.join(sorted(PLACEHOLDERS))})"
            )
        if key not in values:
            raise KnowledgeError(
                f"{where}: placeholder {{{key}}} has no value in this service's profile"
            )
        return values[key]

    filled = _PLACEHOLDER_RE.sub(sub, text)
    if "{" in filled or "}" in filled:
        raise KnowledgeError(f"{where}: unbalanced brace in answer text")
    return filled


def _load_service(root: Path, service: str) -> dict[str, str]:
    key = (root, service)
    cached = _answer_cache.get(key)
    if cached is not None:
        return cached
    with _lock:
        cached = _answer_cache.get(key)
        if cached is not None:
            return cached
        path = _index(root).get(service)
        if path is None:
            known = ", ".join(sorted(_index(root))) or "none"
            raise UnknownServiceError(
                f"no knowledge for service {service!r} (known services: {known})"
            )
        doc = _read_yaml(path)
        if not isinstance(doc, Mapping) or not isinstance(doc.get("answers"), Mapping):
            raise KnowledgeError(f"{path}: expected a mapping with an 'answers' mapping")
        if doc.get("service", service) != service:
            raise KnowledgeError(
                f"{path}: 'service: {doc.get('service')}' does not match the file name"
            )
        values = _values(_read_profile(root, service))
        answers: dict[str, str] = {}
        for label, text in doc["answers"].items():
            if not isinstance(text, str) or not text.strip():
                raise KnowledgeError(f"{path}: answer {label!r} must be non-empty text")
            answers[str(label)] = _fill(text.strip(), values, f"{path} [{label}]")
        _answer_cache[key] = answers
        return answers


def services() -> list[str]:
    """Service ids that have a knowledge file, sorted."""
    return sorted(_index(_root()))


def labels(service: str) -> list[str]:
    """Answer labels of ``service`` in file order. Raises UnknownServiceError."""
    return list(_load_service(_root(), service))


def answer(service: str, label: str) -> str:
    """The answer text for ``label`` with the service's profile facts filled in.

    Raises UnknownServiceError / UnknownLabelError (both KeyError subclasses).
    """
    answers = _load_service(_root(), service)
    try:
        return answers[label]
    except KeyError:
        raise UnknownLabelError(
            f"service {service!r} has no answer {label!r} "
            f"(known labels: {', '.join(answers)})"
        ) from None


def template_values(service: str) -> dict[str, str]:
    """The placeholder values available for ``service`` (handy for other templates)."""
    root = _root()
    if service not in _index(root):
        raise UnknownServiceError(f"no knowledge for service {service!r}")
    return _values(_read_profile(root, service))


def reload() -> None:
    """Forget cached files (after editing data/ or changing BOT_DATA_DIR at runtime)."""
    with _lock:
        _index_cache.clear()
        _answer_cache.clear()
