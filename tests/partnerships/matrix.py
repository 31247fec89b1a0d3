"""The permission matrix's set-up for the transfer pages: a drafted transfer of the trust's
team to the council, and a minimal valid body for each form."""

from __future__ import annotations

from django.utils import timezone

from carebridge.core.access import Role
from carebridge.partnerships import transfers
from carebridge.partnerships.models import Transfer
from tests.core import form_data


def transfer_setup(view: str, county) -> tuple[list, dict[str, str] | None]:
    today = timezone.localdate()
    token = form_data.token()
    date = form_data.date_parts("effective_on", today)
    if view == "partnerships:transfers":
        return [], {}
    if view == "partnerships:reallocate":
        return [], {
            "leaving_worker": str(county.workers[Role.SOCIAL_WORKER].pk),
            "sharing": Transfer.Sharing.SHARE, "reason": "Leaves at the end of the month",
            **date, "submission_token": token,
        }  # fmt: skip
    if view == "partnerships:transfer-teams":
        return [], {
            "from_organisation": str(county.trust.pk), "to_organisation": str(county.council.pk),
            "teams": str(county.team_a.pk), "reason": "Cabinet decision: end the s75",
            "waiting_cases": "block",
            **date, "submission_token": token,
        }  # fmt: skip
    if view == "partnerships:transfer-workers":
        return [], {
            "from_team": str(county.team_a.pk),
            "workers": str(county.workers[Role.SOCIAL_WORKER].pk), "to_team": str(county.team_b.pk),
            "reason": "Moves to the locality team", **date, "submission_token": token,
        }  # fmt: skip
    t = transfers.draft_transfer(
        county.workers[Role.SYSTEM_ADMINISTRATOR],
        kind=Transfer.Kind.TEAMS,
        from_organisation=county.trust,
        to_organisation=county.council,
        teams=[county.team_a],
        effective_on=today,
        reason="Cabinet decision: end the s75",
    )
    if view == "partnerships:transfer-confirm":
        return [t.reference], {"digest": transfers.preview(t).digest}
    if view == "partnerships:transfer-cancel":
        return [t.reference], {"reason": "The cabinet deferred it", "submission_token": token}
    return [t.reference], {}
