"""Every kind the platform emits has English and French texts with a direct link; params are declared."""

from __future__ import annotations

import string

import pytest

from backend.domain.applications.audit import APPLICANT_KINDS
from backend.domain.notifications.services import SECRET_KINDS
from backend.domain.notifications.templates import KINDS, LANGUAGES, canonical, render, summarize
from backend.domain.offers.transitions import OfferAction

# Kinds written by the workflow outside APPLICANT_KINDS, and the reminders the deadline jobs send.
EMITTED = {
    *APPLICANT_KINDS.values(),
    *(f"offer.{action.value}" for action in OfferAction if action is not OfferAction.CREATE),
    "application.accepted",
    "placement.confirmed",
    "application.proposal_expiring",
    "employer.confirm_reminder",
    "placement.midterm_reminder",
    "placement.final_report_reminder",
    *SECRET_KINDS,
}


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_emitted_kind_is_declared():
    assert {canonical(kind) for kind in EMITTED} <= set(KINDS)


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_each_kind_has_each_language_with_declared_params_and_the_link(kind, language):
    text = LANGUAGES[language].TEXTS[kind]
    used = fields(text.subject) | fields(text.summary) | fields(text.details)
    assert used <= set(KINDS[kind].params), f"{kind}/{language} uses undeclared params"
    params = {name: f"<{name}>" for name in KINDS[kind].params}
    rendered = render(kind, language, params, "https://exchange.example/applications/42", name="Ana")
    assert rendered.language == language
    assert "https://exchange.example/applications/42" in rendered.text
    assert 'href="https://exchange.example/applications/42"' in rendered.html
    assert f'<html lang="{language}">' in rendered.html
    assert "&lt;offer_title&gt;" in rendered.html or "offer_title" not in used  # params are escaped in HTML


def test_dates_are_written_in_the_readers_language():
    params = {"offer_title": "Guide", "organisation_name": "Atlantic Lab", "start_date": "2026-09-01"}
    assert summarize("placement.confirmed", "fr", params).summary == (
        "Atlantic Lab a confirmé votre stage « Guide », qui commence le 1er septembre 2026."
    )
    assert summarize("placement.confirmed", "en", params).summary.endswith("starting on 1 September 2026.")
    deadline = {"offer_title": "Guide", "answer_deadline": "2026-03-09T18:00:00+01:00"}
    assert "by 9 March 2026, 17:00 UTC." in summarize("application.proposed", "en", deadline).summary


def test_unknown_kind_or_language_falls_back_without_failing():
    assert render("application.rejected", "de", {"offer_title": "X", "reason": "R"}, None).subject == (
        "Your application was not retained"
    )
    assert summarize("something.new", "fr", {}).title == "Nouvelle notification"
