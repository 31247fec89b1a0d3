"""Forms for transfers and reallocations (GOV.UK date inputs, one-time submission tokens)."""

from __future__ import annotations

from django import forms

from carebridge.core.access import Role
from carebridge.core.forms import GovDateField, LaidOutForm
from carebridge.organisations.models import Organisation, Team, Worker
from carebridge.rules import partnerships as rules

from . import transfers
from .models import Agreement, Transfer


class _WorkerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Worker) -> str:
        team = obj.team.name if obj.team_id else "no team"
        return f"{obj.get_full_name() or obj.username} ({obj.get_role_display()}, {team})"


class _TeamChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Team) -> str:
        return f"{obj.name} ({obj.organisation.name})"


class _WorkerChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Worker) -> str:
        return f"{obj.get_full_name() or obj.username} ({obj.get_role_display()})"


class TeamsTransferForm(LaidOutForm):
    from_organisation = forms.ModelChoiceField(
        label="Organisation the teams leave",
        queryset=Organisation.objects.filter(kind__in=rules.HOST_KINDS, is_active=True),
    )
    to_organisation = forms.ModelChoiceField(
        label="Organisation the teams join",
        queryset=Organisation.objects.filter(kind__in=rules.HOST_KINDS, is_active=True),
    )
    teams = _TeamChoices(
        label="Teams to move",
        queryset=Team.objects.filter(is_active=True).select_related("organisation"),
        widget=forms.CheckboxSelectMultiple,
        help_text="Every worker in a team moves with it; NHS colleagues keep their NHS employer.",
    )
    agreement = forms.ModelChoiceField(
        label="s75 agreement the teams will be hosted under",
        queryset=Agreement.objects.all(),
        required=False,
        help_text="Leave empty when the teams join the council.",
    )
    effective_on = GovDateField(label="Date the transfer takes effect")
    waiting_cases = forms.ChoiceField(
        label="Cases the teams hold with no named worker",
        choices=(
            ("block", "Stop: I will allocate them before the transfer"),
            ("manager", "Give them to each team's manager on the day"),
        ),
        initial="block",
    )
    reason = forms.CharField(label="Why: the decision behind the transfer", widget=forms.Textarea)


class WorkersTransferForm(LaidOutForm):
    workers = _WorkerChoices(
        label="Workers to move",
        queryset=Worker.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Their open cases move with them to the new team.",
    )
    to_team = forms.ModelChoiceField(
        label="Team they join",
        queryset=Team.objects.filter(is_active=True).select_related("organisation"),
    )
    effective_on = GovDateField(label="Date the move takes effect")
    reason = forms.CharField(label="Why they move", widget=forms.Textarea)

    def __init__(self, *args, from_team: Team | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if from_team is not None:
            self.fields["workers"].queryset = Worker.objects.filter(
                team=from_team, is_active=True
            ).order_by("last_name", "first_name")


class ReallocationForm(LaidOutForm):
    leaving_worker = _WorkerChoice(label="Worker who is leaving", queryset=Worker.objects.none())
    sharing = forms.ChoiceField(label="Who takes the cases", choices=Transfer.Sharing.choices)
    receiving_worker = _WorkerChoice(
        label="Worker who takes all the cases",
        queryset=Worker.objects.none(),
        required=False,
        help_text="Only when one worker takes them all.",
    )
    effective_on = GovDateField(label="Date they leave")
    reason = forms.CharField(label="Why the cases are reallocated", widget=forms.Textarea)

    def __init__(self, *args, team_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        workers = Worker.objects.filter(is_active=True, team__isnull=False).exclude(
            role__in=(Role.SYSTEM_ADMINISTRATOR,)
        )
        if team_id is not None:
            workers = workers.filter(team_id=team_id)
        workers = workers.order_by("team__name", "last_name", "first_name")
        self.fields["leaving_worker"].queryset = workers
        receivers = Worker.objects.filter(
            is_active=True,
            role__in=transfers.ONE_RECEIVER_ROLES,
        )
        if team_id is not None:  # a team manager reallocates within their own team
            receivers = receivers.filter(team_id=team_id)
        self.fields["receiving_worker"].queryset = receivers.order_by(
            "team__name", "last_name", "first_name"
        )


class CancelForm(LaidOutForm):
    reason = forms.CharField(label="Why the transfer is cancelled", widget=forms.Textarea)
