"""E-mail texts per notification kind and language; the HTML part is derived from the plain text.

Adding a kind means adding its English and French texts here; a missing language falls back to English.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


# kind -> locale -> (subject, body). Bodies use str.format fields from the notification's params.
TEXTS: dict[str, dict[str, tuple[str, str]]] = {
    "account.verify_email": {
        "en": (
            "Confirm your e-mail address",
            "Hello {name},\n\nplease confirm your e-mail address to activate your account. "
            "The link is valid for {hours} hours.",
        ),
        "fr": (
            "Confirmez votre adresse e-mail",
            "Bonjour {name},\n\nmerci de confirmer votre adresse e-mail pour activer votre compte. "
            "Le lien est valable {hours} heures.",
        ),
    },
    "account.reset_password": {
        "en": (
            "Reset your password",
            "Hello {name},\n\nsomeone asked to reset the password of your account. If it was you, choose a "
            "new password with the link below (valid for {hours} hour(s)). Otherwise ignore this message.",
        ),
        "fr": (
            "Réinitialisez votre mot de passe",
            "Bonjour {name},\n\nune réinitialisation du mot de passe de votre compte a été demandée. Si c'est "
            "vous, choisissez un nouveau mot de passe avec le lien ci-dessous (valable {hours} heure(s)). "
            "Sinon, ignorez ce message.",
        ),
    },
    "account.invitation": {
        "en": (
            "Your account on the Eurodyssey exchange platform",
            "Hello {name},\n\nan account has been created for you. Choose your password with the link "
            "below (valid for {hours} hours).",
        ),
        "fr": (
            "Votre compte sur la plateforme d'échange Eurodyssée",
            "Bonjour {name},\n\nun compte a été créé pour vous. Choisissez votre mot de passe avec le lien "
            "ci-dessous (valable {hours} heures).",
        ),
    },
}

ACTION = {"en": "Open the page", "fr": "Ouvrir la page"}
FOOTER = {
    "en": "Eurodyssey exchange platform. You receive this message because of your account on the platform.",
    "fr": "Plateforme d'échange Eurodyssée. Vous recevez ce message en raison de votre compte sur la plateforme.",
}


class _Defaulting(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def render(kind: str, locale: str, params: dict[str, Any], link: str | None) -> Rendered:
    texts = TEXTS.get(kind)
    if texts is None:
        subject, body = kind, "You have a new notification."
    else:
        subject, body = texts.get(locale) or texts["en"]
    lang = locale if locale in ACTION else "en"
    body = body.format_map(_Defaulting(params))
    text = body + (f"\n\n{ACTION[lang]}: {link}" if link else "") + f"\n\n--\n{FOOTER[lang]}\n"
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in body.split("\n\n"))
    button = (
        f'<p><a href="{html.escape(link, quote=True)}" style="background:#1f4e8c;color:#fff;padding:10px 16px;'
        f'text-decoration:none;border-radius:4px">{ACTION[lang]}</a></p>'
        if link
        else ""
    )
    page = (
        f'<!doctype html><html lang="{lang}"><body style="font-family:sans-serif;max-width:600px">'
        f'{paragraphs}{button}<hr><p style="color:#666;font-size:12px">{html.escape(FOOTER[lang])}</p>'
        "</body></html>"
    )
    return Rendered(subject=subject, text=text, html=page)
