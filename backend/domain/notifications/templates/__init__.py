"""Notification texts per kind and language: the e-mail (subject, plain text and HTML, each with the direct
link) and the in-app title and summary, from the same words.

A kind is declared in catalog.KINDS (its audience and params) and worded in one module per language (en.py,
fr.py); a missing language falls back to English, an unknown kind to a generic text. The in-app API renders
title and summary in the reader's language and also returns kind and params, for a UI that prefers its own
words or icons.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import UTC, date, datetime
from types import ModuleType
from typing import Any

from backend.domain.notifications.templates import en, fr
from backend.domain.notifications.templates.catalog import ALIASES, KINDS, Kind, Param, Text, canonical

__all__ = [
    "ALIASES",
    "KINDS",
    "LANGUAGES",
    "Kind",
    "Param",
    "Rendered",
    "Summary",
    "Text",
    "canonical",
    "render",
    "summarize",
]

LANGUAGES: dict[str, ModuleType] = {"en": en, "fr": fr}
DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    language: str


@dataclass(frozen=True)
class Summary:
    title: str
    summary: str


class _Defaulting(dict[str, Any]):
    """A missing param renders as nothing rather than failing the message."""

    def __missing__(self, key: str) -> str:
        return ""


def _language(locale: str) -> tuple[str, ModuleType]:
    code = locale if locale in LANGUAGES else DEFAULT_LANGUAGE
    return code, LANGUAGES[code]


def _text(kind: str, language: ModuleType) -> Text:
    key = canonical(kind)
    found: Text | None = language.TEXTS.get(key) or en.TEXTS.get(key)
    return found or language.FALLBACK


def _format_date(value: date, language: ModuleType) -> str:
    day = language.FIRST_DAY if value.day == 1 else str(value.day)
    return f"{day} {language.MONTHS[value.month - 1]} {value.year}"


def _format(value: Any, kind: Param, language: ModuleType) -> Any:
    """Dates and datetimes arrive as ISO strings (JSON); anything unparsable is shown as it is."""
    if kind is Param.TEXT or not isinstance(value, str):
        return value
    try:
        if kind is Param.DATE:
            return _format_date(date.fromisoformat(value[:10]), language)
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    moment = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    return language.DATETIME.format(date=_format_date(moment.date(), language), time=moment.strftime("%H:%M"))


def _values(kind: str, params: dict[str, Any], language: ModuleType) -> _Defaulting:
    declared = KINDS[canonical(kind)].params if canonical(kind) in KINDS else {}
    return _Defaulting({k: _format(v, declared.get(k, Param.TEXT), language) for k, v in params.items()})


def summarize(kind: str, locale: str, params: dict[str, Any]) -> Summary:
    """The in-app line: the subject as title and the summary sentence, in the reader's language."""
    _, language = _language(locale)
    text = _text(kind, language)
    values = _values(kind, params, language)
    return Summary(title=text.subject.format_map(values), summary=text.summary.format_map(values))


def render(kind: str, locale: str, params: dict[str, Any], link: str | None, *, name: str | None = None) -> Rendered:
    """The e-mail: greeting, summary, details, the link (a button in HTML, the address in both parts), footer."""
    code, language = _language(locale)
    text = _text(kind, language)
    values = _values(kind, params, language)
    name = str(params.get("name") or name or "").strip()
    greeting = language.GREETING.format(name=name) if name else language.GREETING_ANONYMOUS
    paragraphs = [greeting, text.summary.format_map(values)]
    if text.details:
        paragraphs.append(text.details.format_map(values))
    plain = "\n\n".join(paragraphs)
    if link:
        plain += "\n\n" + language.LINK_LINE.format(action=language.ACTION, link=link)
    plain += f"\n\n--\n{language.FOOTER}\n"

    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    if link:
        href = html.escape(link, quote=True)
        body += (
            f'<p><a href="{href}" style="background:#1f4e8c;color:#fff;padding:10px 16px;'
            f'text-decoration:none;border-radius:4px">{html.escape(language.ACTION)}</a></p>'
            f'<p style="font-size:12px">{html.escape(language.LINK_FALLBACK)}<br><a href="{href}">{href}</a></p>'
        )
    page = (
        f'<!doctype html><html lang="{code}"><head><meta charset="utf-8"></head>'
        f'<body style="font-family:sans-serif;max-width:600px">{body}<hr>'
        f'<p style="color:#666;font-size:12px">{html.escape(language.FOOTER)}</p></body></html>'
    )
    return Rendered(subject=text.subject.format_map(values), text=plain, html=page, language=code)
