"""s117-joint-review: open s117 aftercare is reviewed jointly by the council and the ICB at
least every 12 months.

**In scope** while an aftercare episode is open (from the day the person left hospital until
the joint decision to end it, or a new detention supersedes it). Each joint review
(``mentalhealth.AftercareReview``) restarts the clock.

**Due** 12 months after aftercare began or after the last joint review. Section 117 sets no
interval and the Code of Practice (2015, chapter 33) asks only for regular review, so this is a
local standard (ADR 0022), the same interval the Care Act statutory guidance sets for care and
support plans (para 13.32). As a recurring duty it cannot be changed by a council setting
(duties/standards.py).
"""

from django.db.models import Q

from carebridge.rules import aftercare

from ..spec import Basis, Duty, Period, Records


def _open_on(as_of):
    from carebridge.mentalhealth.models import AftercareEpisode

    return AftercareEpisode.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=as_of), eligible_from__lte=as_of
    )


def _reviews(as_of):
    from carebridge.mentalhealth.models import AftercareReview

    return AftercareReview.objects.all()


DUTY = Duty(
    id="s117-joint-review",
    title="s117 aftercare reviewed jointly at least every 12 months",
    wording=(
        "Aftercare under section 117 lasts until the council and the ICB are both satisfied it is "
        "no longer needed, so they review it together. The council's standard is a joint review "
        "at least every 12 months, counted from when aftercare began or the last review."
    ),
    citation=f"{aftercare.CITATION}, s117(2); {aftercare.CODE_OF_PRACTICE}",
    url=aftercare.LEGISLATION_URL,
    basis=Basis.LOCAL,
    period=Period(months=aftercare.REVIEW_INTERVAL_MONTHS),
    recurring=True,
    starts=Records(
        queryset=_open_on,
        date="eligible_from",
        ref="pk",
        label="s117 aftercare began",
    ),
    met_by=Records(
        queryset=_reviews,
        date="held_on",
        ref="pk",
        person="episode__person",
        label="Joint review",
    ),
    action="Arrange the joint review with the ICB",
)
