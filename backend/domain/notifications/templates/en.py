"""English texts. Fields in braces are the kind's params (see catalog.KINDS)."""

from __future__ import annotations

from backend.domain.notifications.templates.catalog import Text

GREETING = "Hello {name},"
GREETING_ANONYMOUS = "Hello,"
ACTION = "Open the page"
LINK_FALLBACK = "If the button does not work, copy this address into your browser:"
FOOTER = "Eurodyssey exchange platform. You receive this message because of your account on the platform."

TEXTS: dict[str, Text] = {
    "account.verify_email": Text(
        "Confirm your e-mail address",
        "Please confirm your e-mail address to activate your account.",
        "The link is valid for {hours} hours.",
    ),
    "account.reset_password": Text(
        "Reset your password",
        "Someone asked to reset the password of your account.",
        "If it was you, choose a new password with the link below (valid for {hours} hour(s)). "
        "Otherwise ignore this message.",
    ),
    "account.invitation": Text(
        "Your account on the Eurodyssey exchange platform",
        "An account has been created for you.",
        "Choose your password with the link below (valid for {hours} hours).",
    ),
    "application.validated": Text(
        "Your application is eligible",
        "Your home region has checked your application to “{offer_title}”: it is eligible.",
        "The host region now reviews it; you will be told of its decision.",
    ),
    "application.ineligible": Text(
        "Your application is not eligible",
        "Your home region found your application to “{offer_title}” not eligible. Reason: {reason}",
        "You can still apply to other offers that match your profile.",
    ),
    "application.shortlisted": Text(
        "Your application is shortlisted",
        "The host region has shortlisted your application to “{offer_title}”.",
        "The employer may contact you for an interview.",
    ),
    "application.rejected": Text(
        "Your application was not retained",
        "Your application to “{offer_title}” was not retained. Reason: {reason}",
        "Your other applications are not affected.",
    ),
    "application.proposed": Text(
        "A traineeship is proposed to you",
        "You are offered the traineeship “{offer_title}”. Please accept or decline it by {answer_deadline}.",
        "Without an answer by then, the proposal expires and the place goes to another candidate.",
    ),
    "application.proposal_expiring": Text(
        "Reminder: answer the traineeship proposal",
        "The proposal for “{offer_title}” expires on {answer_deadline}. Please accept or decline it before then.",
    ),
    "application.expired": Text(
        "The traineeship proposal has expired",
        "The proposal for “{offer_title}” has expired. Reason: {reason}",
        "Your other applications are not affected.",
    ),
    "placement.confirmed": Text(
        "Your traineeship is confirmed",
        "{organisation_name} has confirmed your traineeship “{offer_title}”, starting on {start_date}.",
        "The host region will contact you about the traineeship agreement, the language course and housing.",
    ),
    "placement.midterm_reminder": Text(
        "Reminder: mid-term review due",
        "The mid-term review of the traineeship “{offer_title}” ({trainee_name}) is due by {due_date}.",
        "File it from the placement page.",
    ),
    "placement.final_report_reminder": Text(
        "Reminder: final report due",
        "The final report of the traineeship “{offer_title}” ({trainee_name}) is due by {due_date}.",
        "File it from the placement page.",
    ),
    "offer.submitted": Text(
        "An offer awaits your validation",
        "The offer “{title}” was submitted for validation in your region.",
    ),
    "offer.published": Text(
        "Your offer is published",
        "Your offer “{title}” has been validated and published: applicants can now apply.",
    ),
    "offer.sent_back": Text(
        "Your offer needs changes",
        "The regional coordinator sent your offer “{title}” back for changes. Reason: {reason}",
        "Edit the offer and submit it again.",
    ),
    "offer.withdrawn": Text(
        "An offer was withdrawn",
        "The offer “{title}” was withdrawn. Reason: {reason}",
    ),
    "offer.closed": Text(
        "Your offer is closed to new applications",
        "The offer “{title}” no longer accepts applications. Reason: {reason}",
        "The selection of the candidates who applied goes on.",
    ),
    "application.accepted": Text(
        "A candidate accepted your traineeship: please confirm",
        "{applicant_name} has accepted the traineeship “{offer_title}”. "
        "Please confirm or refuse by {confirm_deadline}.",
    ),
    "application.withdrawn": Text(
        "A candidate withdrew: the seat is free again",
        "{applicant_name} has withdrawn from the traineeship “{offer_title}” after accepting it. "
        "There is nothing to confirm; the seat is open to other candidates again.",
    ),
    "application.declined": Text(
        "A candidate declined a proposal",
        "{applicant_name} has declined the proposal for the traineeship “{offer_title}”. "
        "The seat can be proposed to another shortlisted candidate.",
    ),
    "employer.confirm_reminder": Text(
        "Reminder: please confirm your trainee",
        "{applicant_name} has accepted the traineeship “{offer_title}”. "
        "Please confirm or refuse by {confirm_deadline}.",
        "You receive this reminder because no answer has been recorded yet.",
    ),
}

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
FALLBACK = Text("New notification", "You have a new notification.")
FIRST_DAY = "1"
DATETIME = "{date}, {time} UTC"
LINK_LINE = "{action}: {link}"
