"""The Client Level Data (CLD) Release 2 return as a projection of the events the record holds.

For a reporting period [start, end] (``rows``), one row per event, with the person's details,
in the column order and code text of the specification, then one linking-only row per carer
known by association. Sources (``/work/shared/reference/cld/``):

* what goes in (rules.md s1, s3): requests, assessments and reviews *completed* in the period
  (started on or before its end); services *open at any point* in it; no cancelled events;
  assessments only of a CLD Assessment_Type (the record holds no safeguarding, DoLS, mental
  capacity or Mental Health Act assessments as events; any other type is left out); no event
  of a person who died before the period or before the event started;
* person details (rules.md s5c, fields.csv): one value per person, as at the period end:
  the latest accommodation and employment status recorded by then, the charge decision in
  force then (Client_Funding_Status; where none is, "Fully social care funded" for a person
  with s117 aftercare open then, which is never charged, else a status imported from a legacy
  CLD file as at the period end, ``returns.ImportedFundingStatus``), carer relationships overlapping
  the period (No_of_adults_being_cared_for counts them, or the number a legacy file gave,
  ``returns.ImportedAdultsCaredFor``, if larger);
* person identifier (rules.md s4): ``Person.person_id`` as LA_Person_Unique_Identifier on every
  row and, exactly, as the carers' Adult_n_Linked_Person_ID;
* derived end date (rules.md s3): an open service of a person who has died ends on the date of
  death, outcome 'NFA: Deceased' (fields.csv makes Event_End_Date mandatory on a service once
  Date_of_Death is filled); a service still open at the period end has the outcome
  'Continuation of support or services' (Event_Outcome is mandatory on every service row, and
  the record gives a service its outcome only when it ends);
* empty fields are empty, never the word NULL (rules.md s6).

Reads are set-based: people, histories, relationships and charges in a handful of queries
before the first row, then the events streamed in chunks (``values_list(...).iterator()``).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO

from django.db.models import F, Q

from carebridge.rules import cld
from carebridge.rules.cld_validation import FIELD_NAMES

CHUNK = 5000
CARER_PSR = "Social support: Support to unpaid carer"  # codes.csv Primary_Support_Reason
CARER_DEFAULT_ROUTE = "Community / Other route"  # fields.csv Request_Route_of_Access (carers)
FULLY_SOCIAL_CARE_FUNDED = "Fully social care funded"  # codes.csv Client_Funding_Status
JOINT_FUNDED = "Joint client and social care funded"
FULLY_CLIENT_FUNDED = "Fully client funded"
OUTCOME_CONTINUING = "Continuation of support or services"  # codes.csv Event_Outcome
OUTCOME_DECEASED = "NFA: Deceased"  # codes.csv Event_Outcome
MAX_LINKED = 3  # fields.csv Adult_3_Linked_Person_ID ("maximum of three linked adults")

_COMPLETED_TYPES = (cld.REQUEST, cld.ASSESSMENT, cld.REVIEW)
_EVENT_COLUMNS = (
    "id",
    "person_id",
    "event_type",
    "client_type",
    "reference",
    "start_date",
    "end_date",
    "description",
    "outcome",
    "route_of_access",
    "assessment_type",
    "method_of_assessment",
    "service_type",
    "service_component",
    "delivery_mechanism",
    "provider__cqc_location_id",
    "provider__name",
    "review_reason",
    "method_of_review",
    "review_outcomes_achieved",
    "unit_cost",
    "cost_frequency",
    "planned_units_per_week",
)
_POS = {name: i for i, name in enumerate(FIELD_NAMES)}


class ExportError(ValueError):
    """The export cannot run (e.g. no council CASSR code recorded)."""


@dataclass(frozen=True, slots=True)
class PersonDetails:
    pk: int
    person_id: str
    nhs_number: str
    given_name: str
    family_name: str
    gp_code: str
    gp_name: str
    gender: str
    ethnicity: str
    date_of_birth: dt.date
    date_of_death: dt.date | None
    psr: str
    postcode: str


@dataclass
class Projection:
    """What the export read, for the caller's report: row counts and who each row is about."""

    rows: int = 0
    by_event_type: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    # Row number in the file (header = 1) -> the person's database key, for linking findings.
    person_of_row: list[int] = field(default_factory=list)
    person_ids: dict[int, str] = field(default_factory=dict)


def council_code() -> str:
    from carebridge.organisations.models import Organisation

    codes = sorted(
        set(
            Organisation.objects.filter(kind=Organisation.COUNCIL)
            .exclude(cassr_code="")
            .values_list("cassr_code", flat=True)
        )
    )
    if not codes:
        raise ExportError(
            "no council has a CASSR code (CLD LA_Code) recorded: add it to the council's "
            "organisation record first"
        )
    if len(codes) > 1:
        raise ExportError(f"more than one council CASSR code is recorded ({', '.join(codes)})")
    return codes[0]


def events_in_period(start: dt.date, end: dt.date):
    """The events of a CLD return for [start, end] (rules.md s1 and s3), unordered."""
    from carebridge.casework.models import Event

    completed = Q(
        event_type__in=_COMPLETED_TYPES,
        end_date__gte=start,
        end_date__lte=end,
        start_date__lte=end,
    )
    open_service = Q(event_type=cld.SERVICE, start_date__lte=end) & (
        Q(end_date__isnull=True) | Q(end_date__gte=start)
    )
    assessment_types = cld.codes(cld.ASSESSMENT_TYPE)
    return (
        Event.objects.filter(completed | open_service, cancelled=False)
        .filter(~Q(event_type=cld.ASSESSMENT) | Q(assessment_type__in=assessment_types))
        .exclude(person__date_of_death__lt=start)
        .exclude(person__date_of_death__lt=F("start_date"))
    )


# Up to this many people, person-level facts are read for them by key (``pk IN (...)``);
# beyond it, a county-scale return reads each table whole and keeps the people it needs, which
# is cheaper than asking the database to work out the return's people again for each table.
BY_KEY_LIMIT = 2000


def _of(queryset, field_name: str, wanted: Collection[int]):
    """``queryset`` narrowed to the people in ``wanted`` when they are few (see BY_KEY_LIMIT);
    callers skip rows of other people."""
    if len(wanted) <= BY_KEY_LIMIT:
        return queryset.filter(**{f"{field_name}__in": sorted(wanted)})
    return queryset


def _people(wanted: Collection[int]) -> dict[int, PersonDetails]:
    from carebridge.people.models import Person

    out = {}
    rows = (
        _of(Person.objects, "pk", wanted)
        .order_by()
        .values_list(
            "pk",
            "person_id",
            "nhs_number",
            "given_name",
            "family_name",
            "gp_practice__ods_code",
            "gp_practice__name",
            "gender",
            "ethnicity",
            "date_of_birth",
            "date_of_death",
            "primary_support_reason",
            "postcode",
        )
    )
    for r in rows.iterator(chunk_size=CHUNK):
        if r[0] not in wanted:
            continue
        out[r[0]] = PersonDetails(
            r[0], r[1], r[2] or "", r[3], r[4], r[5] or "", r[6] or "", r[7], r[8], r[9], r[10],
            r[11] or "", r[12] or "",
        )  # fmt: skip
    return out


def _latest(queryset, wanted: Collection[int], *fields: str) -> dict[int, object]:
    """Each wanted person's last row of ``queryset`` in (person, ``fields``) order: the value
    of its last field (for the latest, order by date then id)."""
    out: dict[int, object] = {}
    rows = (
        _of(queryset, "person_id", wanted)
        .order_by("person_id", *fields[:-1])
        .values_list("person_id", fields[-1])
    )
    for pk, value in rows.iterator(chunk_size=CHUNK):
        if pk in wanted:
            out[pk] = value  # the last one read is the latest
    return out


def _latest_status(model, wanted: Collection[int], end: dt.date) -> dict[int, str]:
    """Each person's latest status recorded as applying on or before ``end``."""
    return _latest(model.objects.filter(valid_from__lte=end), wanted, "valid_from", "id", "status")


def funding_status(weekly_amount: Decimal, weekly_care_cost: Decimal | None, s117: bool) -> str:
    """Client_Funding_Status from the charge decision in force (codes.csv): nothing to pay
    (or s117 aftercare) is fully social care funded; paying the whole cost is fully client
    funded; anything between is joint."""
    if s117 or weekly_amount <= 0:
        return FULLY_SOCIAL_CARE_FUNDED
    if weekly_care_cost is not None and weekly_amount >= weekly_care_cost:
        return FULLY_CLIENT_FUNDED
    return JOINT_FUNDED


def _funding(wanted: Collection[int], end: dt.date) -> dict[int, str]:
    from carebridge.finance.models import ChargeDecision

    from .models import ImportedFundingStatus

    out: dict[int, str] = {}
    rows = (
        _of(ChargeDecision.objects, "person_id", wanted)
        .filter(valid_from__lte=end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=end))
        .order_by("person_id", "valid_from", "id")
        .values_list("person_id", "weekly_amount", "weekly_care_cost", "s117_aftercare")
    )
    for pk, amount, cost, s117 in rows.iterator(chunk_size=CHUNK):
        if pk in wanted:
            out[pk] = funding_status(amount, cost, s117)
    # A status imported from a legacy CLD file (no charge decision behind it) counts only where
    # no charge decision is in force: the latest as at the period end.
    legacy = _latest(
        ImportedFundingStatus.objects.filter(as_at__lte=end), wanted, "as_at", "id", "status"
    )
    # s117 aftercare is never charged for: a person with aftercare open at the period end and
    # no charge decision in force pays nothing (a charge in force can only be for their other
    # care: finance.s117), so no legacy status can make them look chargeable.
    free = {pk: FULLY_SOCIAL_CARE_FUNDED for pk in _open_aftercare(wanted, end) if pk not in out}
    return {**legacy, **free, **out}


def _open_aftercare(wanted: Collection[int], end: dt.date) -> set[int]:
    from carebridge.mentalhealth.models import AftercareEpisode

    rows = (
        _of(AftercareEpisode.objects, "person_id", wanted)
        .filter(eligible_from__lte=end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=end))
        .values_list("person_id", flat=True)
    )
    return {pk for pk in rows.iterator(chunk_size=CHUNK) if pk in wanted}


def _adults_imported(wanted: Collection[int], end: dt.date) -> dict[int, int]:
    """A carer's No_of_adults_being_cared_for imported from a legacy CLD file: the latest as at
    ``end``."""
    from .models import ImportedAdultsCaredFor

    return _latest(
        ImportedAdultsCaredFor.objects.filter(as_at__lte=end), wanted, "as_at", "id", "adults"
    )


def _relationships(start: dt.date, end: dt.date) -> list[tuple[int, int]]:
    """(carer, cared-for) for caring that overlaps the period, main carers first."""
    from carebridge.people.models import CarerRelationship

    return list(
        CarerRelationship.objects.filter(
            Q(started_on__isnull=True) | Q(started_on__lte=end),
            Q(ended_on__isnull=True) | Q(ended_on__gte=start),
        )
        .order_by("carer_id", "-is_main_carer", "cared_for_id", "id")
        .values_list("carer_id", "cared_for_id")
    )


def _date(d: dt.date | None) -> str:
    return d.isoformat() if d else ""


def _number(n: Decimal | None) -> str:
    return "" if n is None else f"{n:.2f}"


class _Rows:
    """Builds the rows once the person-level facts are read."""

    def __init__(self, start: dt.date, end: dt.date, la_code: str) -> None:
        from carebridge.people.models import AccommodationStatusRecord, EmploymentStatusRecord

        self.start, self.end = start, end
        self.events = events_in_period(start, end)
        # Who has events in the return, and as what: one pass over the events.
        pairs = set(self.events.order_by().values_list("person_id", "client_type").distinct())
        service_users = {pk for pk, client_type in pairs if client_type == cld.SERVICE_USER}
        self.service_users = service_users
        carers_with_events = {pk for pk, client_type in pairs if client_type == cld.UNPAID_CARER}
        links = _relationships(start, end)
        self.cared_for_by: dict[int, list[int]] = defaultdict(list)  # carer -> cared-for
        self.has_carer: set[int] = set()
        for carer, cared_for in links:
            self.cared_for_by[carer].append(cared_for)
            self.has_carer.add(cared_for)
        # Carers known by association (rules.md s1): linked to a service user in the
        # submission, and not the subject of a carer event in it.
        self.by_association = sorted(
            carer
            for carer, cared in self.cared_for_by.items()
            if carer not in carers_with_events and any(c in service_users for c in cared)
        )
        pks = frozenset({pk for pk, _ in pairs}.union(self.by_association))
        self.people = _people(pks)
        self.accommodation = _latest_status(AccommodationStatusRecord, pks, end)
        self.employment = _latest_status(EmploymentStatusRecord, pks, end)
        self.funding = _funding(pks, end)
        self.adults_imported = _adults_imported(pks, end)
        self.submission = [la_code, start.isoformat(), end.isoformat()]

    def _person_part(self, p: PersonDetails, client_type: str) -> list[str]:
        carer = client_type != cld.SERVICE_USER
        row = [""] * len(FIELD_NAMES)
        row[0:3] = self.submission
        row[_POS["NHS_Number"]] = p.nhs_number
        row[_POS["LA_Person_Unique_Identifier"]] = p.person_id
        row[_POS["First_Name"]] = p.given_name
        row[_POS["Last_Name"]] = p.family_name
        row[_POS["GP_Practice_Code"]] = p.gp_code
        row[_POS["GP_Practice_Name"]] = p.gp_name
        row[_POS[cld.GENDER]] = p.gender
        row[_POS[cld.ETHNICITY]] = p.ethnicity
        row[_POS["Date_of_Birth"]] = _date(p.date_of_birth)
        row[_POS["Date_of_Death"]] = _date(p.date_of_death)
        row[_POS[cld.CLIENT_TYPE]] = client_type
        row[_POS[cld.PRIMARY_SUPPORT_REASON]] = CARER_PSR if carer else (p.psr or cld.UNKNOWN)
        row[_POS["Postcode"]] = p.postcode
        row[_POS[cld.ACCOMMODATION_STATUS]] = self.accommodation.get(p.pk, cld.UNKNOWN)
        employment = self.employment.get(p.pk, "")
        if not employment and not carer and self._employment_needed(p):
            employment = cld.UNKNOWN
        row[_POS[cld.EMPLOYMENT_STATUS]] = employment
        row[_POS[cld.HAS_UNPAID_CARER]] = "Yes" if p.pk in self.has_carer else cld.UNKNOWN
        if not carer:
            row[_POS[cld.CLIENT_FUNDING_STATUS]] = self.funding.get(p.pk, cld.UNKNOWN)
        else:
            # Cared-for service users in the submission are event people, so already read.
            linked = [
                self.people[c].person_id
                for c in self.cared_for_by.get(p.pk, ())
                if c in self.service_users
            ]
            # The carer's relationships, or more where a legacy file said so (it could link
            # only the service users in its submission: returns.ImportedAdultsCaredFor).
            adults = max(len(self.cared_for_by.get(p.pk, ())), self.adults_imported.get(p.pk, 0))
            if adults:
                row[_POS["No_of_adults_being_cared_for"]] = str(adults)
            for i, person_id in enumerate(linked[:MAX_LINKED], start=1):
                row[_POS[f"Adult_{i}_Linked_Person_ID"]] = person_id
        return row

    def _employment_needed(self, p: PersonDetails) -> bool:
        """fields.csv Employment_Status: mandatory for 18-64 (at the period end) with a
        learning-disability PSR; 'Unknown' is then written when none is recorded."""
        if p.psr != "Learning disability support":
            return False
        e, b = self.end, p.date_of_birth
        age = e.year - b.year - ((e.month, e.day) < (b.month, b.day))
        return 18 <= age <= 64

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        """(person key, row) for each event, then each carer known by association."""
        events = self.events.order_by("person_id", "start_date", "id").values_list(*_EVENT_COLUMNS)
        P = _POS
        for (
            _id, person_pk, event_type, client_type, reference, start, end, description,
            outcome, route, assessment_type, method_of_assessment, service_type, component,
            mechanism, cqc_id, provider_name, review_reason, method_of_review, outcomes_achieved,
            unit_cost, frequency, units,
        ) in events.iterator(chunk_size=CHUNK):  # fmt: skip
            p = self.people[person_pk]
            row = self._person_part(p, client_type)
            if event_type == cld.SERVICE and end is None:
                if p.date_of_death:
                    end = p.date_of_death  # rules.md s3 derived end date
                    outcome = outcome or OUTCOME_DECEASED
                else:
                    # Still open at the period end: its support continues (Event_Outcome is
                    # mandatory on every service row; the record sets one when it ends).
                    outcome = outcome or OUTCOME_CONTINUING
            row[P[cld.EVENT_TYPE]] = event_type
            row[P["Event_Reference"]] = reference
            row[P["Event_Start_Date"]] = _date(start)
            row[P["Event_End_Date"]] = _date(end)
            row[P["Event_Description"]] = description
            row[P[cld.EVENT_OUTCOME]] = outcome
            if event_type == cld.REQUEST:
                if not route and client_type == cld.UNPAID_CARER:
                    route = CARER_DEFAULT_ROUTE
                row[P[cld.ROUTE_OF_ACCESS]] = route
            elif event_type == cld.ASSESSMENT:
                row[P[cld.ASSESSMENT_TYPE]] = assessment_type
                row[P[cld.METHOD_OF_ASSESSMENT]] = method_of_assessment
            elif event_type == cld.SERVICE:
                row[P[cld.SERVICE_TYPE]] = service_type
                row[P[cld.SERVICE_COMPONENT]] = component
                row[P[cld.DELIVERY_MECHANISM]] = mechanism
                row[P["Provider_CQC_Location_ID"]] = cqc_id or ""
                row[P["Provider_CQC_Location_Name"]] = provider_name or ""
                row[P["Unit_Cost"]] = _number(unit_cost)
                row[P[cld.COST_FREQUENCY]] = frequency
                row[P["Planned_units_per_week"]] = _number(units)
            elif event_type == cld.REVIEW:
                row[P[cld.REVIEW_REASON]] = review_reason
                row[P[cld.METHOD_OF_REVIEW]] = method_of_review
                row[P[cld.REVIEW_OUTCOMES_ACHIEVED]] = outcomes_achieved
            yield person_pk, row
        for carer in self.by_association:
            yield carer, self._person_part(self.people[carer], cld.UNPAID_CARER_BY_ASSOCIATION)


def rows(start: dt.date, end: dt.date, la_code: str | None = None) -> Iterator[tuple[int, list]]:
    """(person's database key, CLD row in ``FIELD_NAMES`` order) for the period."""
    return iter(_Rows(start, end, la_code or council_code()))


def write(out: IO[str], start: dt.date, end: dt.date, la_code: str | None = None) -> Projection:
    """Write the CLD CSV for [start, end] to ``out`` (header first); what was written."""
    projection = Projection()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(FIELD_NAMES)
    type_col = _POS[cld.EVENT_TYPE]
    client_col = _POS[cld.CLIENT_TYPE]
    for person_pk, row in rows(start, end, la_code):
        w.writerow(row)
        projection.rows += 1
        projection.by_event_type[row[type_col] or row[client_col]] += 1
        projection.person_of_row.append(person_pk)
        projection.person_ids[person_pk] = row[_POS["LA_Person_Unique_Identifier"]]
    return projection
