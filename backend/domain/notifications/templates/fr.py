"""Textes français. Les champs entre accolades sont les params du type (voir catalog.KINDS)."""

from __future__ import annotations

from backend.domain.notifications.templates.catalog import Text

GREETING = "Bonjour {name},"
GREETING_ANONYMOUS = "Bonjour,"
ACTION = "Ouvrir la page"
LINK_FALLBACK = "Si le bouton ne fonctionne pas, copiez cette adresse dans votre navigateur :"
FOOTER = "Plateforme d'échange Eurodyssée. Vous recevez ce message en raison de votre compte sur la plateforme."

TEXTS: dict[str, Text] = {
    "account.verify_email": Text(
        "Confirmez votre adresse e-mail",
        "Merci de confirmer votre adresse e-mail pour activer votre compte.",
        "Le lien est valable {hours} heures.",
    ),
    "account.reset_password": Text(
        "Réinitialisez votre mot de passe",
        "Une réinitialisation du mot de passe de votre compte a été demandée.",
        "Si c'est vous, choisissez un nouveau mot de passe avec le lien ci-dessous (valable {hours} heure(s)). "
        "Sinon, ignorez ce message.",
    ),
    "account.invitation": Text(
        "Votre compte sur la plateforme d'échange Eurodyssée",
        "Un compte a été créé pour vous.",
        "Choisissez votre mot de passe avec le lien ci-dessous (valable {hours} heures).",
    ),
    "application.validated": Text(
        "Votre candidature est recevable",
        "Votre région d'origine a examiné votre candidature à « {offer_title} » : elle est recevable.",
        "La région d'accueil va maintenant l'étudier ; vous serez informé(e) de sa décision.",
    ),
    "application.ineligible": Text(
        "Votre candidature n'est pas recevable",
        "Votre région d'origine a jugé votre candidature à « {offer_title} » non recevable. Motif : {reason}",
        "Vous pouvez toujours postuler à d'autres offres correspondant à votre profil.",
    ),
    "application.shortlisted": Text(
        "Votre candidature est présélectionnée",
        "La région d'accueil a présélectionné votre candidature à « {offer_title} ».",
        "L'employeur pourra vous contacter pour un entretien.",
    ),
    "application.rejected": Text(
        "Votre candidature n'a pas été retenue",
        "Votre candidature à « {offer_title} » n'a pas été retenue. Motif : {reason}",
        "Vos autres candidatures ne sont pas concernées.",
    ),
    "application.proposed": Text(
        "Un stage vous est proposé",
        "Le stage « {offer_title} » vous est proposé. Merci de l'accepter ou de le refuser avant le {answer_deadline}.",
        "Sans réponse à cette date, la proposition expire et la place est proposée à un autre candidat.",
    ),
    "application.proposal_expiring": Text(
        "Rappel : répondez à la proposition de stage",
        "La proposition pour « {offer_title} » expire le {answer_deadline}. Merci de l'accepter ou de la refuser "
        "d'ici là.",
    ),
    "application.expired": Text(
        "La proposition de stage a expiré",
        "La proposition pour « {offer_title} » a expiré. Motif : {reason}",
        "Vos autres candidatures ne sont pas concernées.",
    ),
    "placement.confirmed": Text(
        "Votre stage est confirmé",
        "{organisation_name} a confirmé votre stage « {offer_title} », qui commence le {start_date}.",
        "La région d'accueil vous contactera pour la convention de stage, le cours de langue et le logement.",
    ),
    "placement.midterm_reminder": Text(
        "Rappel : bilan à mi-parcours attendu",
        "Le bilan à mi-parcours du stage « {offer_title} » ({trainee_name}) est attendu pour le {due_date}.",
        "Déposez-le depuis la page du stage.",
    ),
    "placement.final_report_reminder": Text(
        "Rappel : rapport final attendu",
        "Le rapport final du stage « {offer_title} » ({trainee_name}) est attendu pour le {due_date}.",
        "Déposez-le depuis la page du stage.",
    ),
    "offer.submitted": Text(
        "Une offre attend votre validation",
        "L'offre « {title} » a été soumise pour validation dans votre région.",
    ),
    "offer.published": Text(
        "Votre offre est publiée",
        "Votre offre « {title} » a été validée et publiée : les candidats peuvent désormais postuler.",
    ),
    "offer.sent_back": Text(
        "Votre offre doit être modifiée",
        "Le coordinateur régional vous a renvoyé l'offre « {title} » pour modification. Motif : {reason}",
        "Modifiez l'offre puis soumettez-la à nouveau.",
    ),
    "offer.withdrawn": Text(
        "Une offre a été retirée",
        "L'offre « {title} » a été retirée. Motif : {reason}",
    ),
    "offer.closed": Text(
        "Votre offre n'accepte plus de candidatures",
        "L'offre « {title} » n'accepte plus de candidatures. Motif : {reason}",
        "La sélection des candidats déjà inscrits se poursuit.",
    ),
    "application.accepted": Text(
        "Un candidat a accepté votre stage : merci de confirmer",
        "{applicant_name} a accepté le stage « {offer_title} ». Merci de confirmer ou de refuser avant le "
        "{confirm_deadline}.",
    ),
    "application.withdrawn": Text(
        "Un candidat s'est désisté : la place est de nouveau libre",
        "{applicant_name} s'est désisté du stage « {offer_title} » après l'avoir accepté. "
        "Il n'y a rien à confirmer ; la place est de nouveau ouverte aux autres candidats.",
    ),
    "application.declined": Text(
        "Un candidat a décliné une proposition",
        "{applicant_name} a décliné la proposition pour le stage « {offer_title} ». "
        "La place peut être proposée à un autre candidat présélectionné.",
    ),
    "employer.confirm_reminder": Text(
        "Rappel : merci de confirmer votre stagiaire",
        "{applicant_name} a accepté le stage « {offer_title} ». Merci de confirmer ou de refuser avant le "
        "{confirm_deadline}.",
        "Vous recevez ce rappel car aucune réponse n'a encore été enregistrée.",
    ),
}

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
FALLBACK = Text("Nouvelle notification", "Vous avez une nouvelle notification.")
FIRST_DAY = "1er"
DATETIME = "{date} à {time} UTC"
LINK_LINE = "{action} : {link}"
