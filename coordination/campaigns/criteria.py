"""A call's review criteria: stable ids, so editing them never misaligns given scores."""

from flask_babel import gettext as _
from sqlalchemy import select

from coordination.campaigns.models import Application, Call, CallCriterion, Review
from coordination.campaigns.services import CampaignError, move_in_order
from coordination.extensions import db


def parse_criteria(text: str) -> list[tuple[str, str]]:
    """Read criteria typed one per line, "French | English" (English optional)."""
    criteria = []
    for line in (text or "").splitlines():
        french, _sep, english = line.partition("|")
        if french.strip():
            criteria.append((french.strip()[:300], english.strip()[:300]))
    return criteria


def add_criteria_from_text(call: Call, text: str) -> None:
    """Add the criteria typed one per line at the end of the call's."""
    for french, english in parse_criteria(text):
        add_criterion(call, french, english)


def add_criterion(call: Call, label_fr: str, label_en: str = "") -> CallCriterion:
    """Add a criterion at the end; reviews already done simply lack its score."""
    position = max((c.position for c in call.criteria), default=0) + 10
    criterion = CallCriterion(label_fr=label_fr, label_en=label_en, position=position)
    call.criteria.append(criterion)
    db.session.flush()
    return criterion


def rename_criterion(criterion: CallCriterion, label_fr: str, label_en: str = "") -> None:
    """Change a criterion's labels; its scores follow, being keyed by its id."""
    criterion.label_fr = label_fr
    criterion.label_en = label_en
    db.session.flush()


def move_criterion(criterion: CallCriterion, offset: int) -> None:
    """Move a criterion up (-1) or down (+1) on the review form."""
    move_in_order(criterion.call.criteria, criterion, offset)


def has_scores(criterion: CallCriterion) -> bool:
    """Whether any review of the call gave this criterion a score."""
    scores = db.session.scalars(
        select(Review.scores)
        .join(Application, Review.application_id == Application.id)
        .where(Application.call_id == criterion.call_id)
    )
    return any(criterion.key in (s or {}) for s in scores)


def delete_criterion(criterion: CallCriterion) -> None:
    """Delete a criterion nobody scored yet (else it can only be retired)."""
    if has_scores(criterion):
        raise CampaignError(
            _("This criterion already has scores: retire it instead, so results keep them.")
        )
    db.session.delete(criterion)
    db.session.flush()


def set_retired(criterion: CallCriterion, is_retired: bool) -> None:
    """Retire a criterion (hidden from new reviews, kept in results) or bring it back."""
    criterion.is_retired = is_retired
    db.session.flush()
