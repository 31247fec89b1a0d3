"""Loading a CLD Release 2 file into the record: the inverse of ``cld_export`` for everything the
export reads, all or nothing (``carebridge cld import``; ADR 0018).

Three steps:

1. **Read** (``read_file``): the file is checked row by row by the CLD validator
   (``rules.cld_validation``: a mandatory failure is a problem) while each row's values are
   read into people and events; a person's details must agree across their rows.
2. **Plan** (``plan``): the people, events, organisations, histories and carer links the file
   names are looked up in a handful of set-based queries (never one per row) and compared
   with the record: LA_Code must be the council's; an Event_Reference or NHS number the record
   already holds for someone else is a conflict; so is a difference from a value recorded in
   carebridge (the file fills gaps; it changes only what an earlier import brought in).
3. **Load** (``load``): nothing is written unless there are no problems; then everything is
   written in one transaction with bulk inserts, linked to a ``CLDImport`` and audited.

Matching: people by LA_Person_Unique_Identifier, events by Event_Reference (which the record
holds once across all people) for the same person and event type. A second load of the same
file creates and changes nothing. A changed value on a person or event created by an import
is updated (the file is the legacy system's record); on one recorded in carebridge it is a
conflict, to be corrected on one side or the other.

Where the values go: the person's details on ``Person``; Accommodation_Status and
Employment_Status as dated history rows from the period end; Client_Funding_Status as a
``returns.ImportedFundingStatus`` (no amounts are invented: the export uses it only when no
charge decision is in force); the events as ``Event`` rows marked ``source=cld_import``; carers'
Adult_n_Linked_Person_ID as ``CarerRelationship`` rows (relationship 'not recorded'), and
No_of_adults_being_cared_for as a ``returns.ImportedAdultsCaredFor`` where it counts more adults
than the file links. Fields the record does not hold (e.g. Visual_Impairment) are not stored;
the report counts them. Has_Unpaid_Carer is derived from the carer links, as the export does.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from carebridge.rules import cld, dates, nhs_number, postcode
from carebridge.rules.cld_validation import (
    FAIL,
    FIELD_NAMES,
    LINKED_PERSON_IDS,
    CLDValidator,
    UnreadableFile,
    canonical_code,
    read_date,
)

from .cld_export import CARER_DEFAULT_ROUTE, OUTCOME_CONTINUING, OUTCOME_DECEASED

LOOKUP_CHUNK = 5000  # values in one ``__in`` lookup (well under SQLite's 32,766 parameters)
BATCH = 2000  # rows in one bulk insert

# Import-specific problems (rule ids beside the validator's).
PROBLEMS = {
    "import-la-code": "LA_Code is not this council's CASSR code",
    "import-no-reference": "An event row without an Event_Reference",
    "import-duplicate-reference": "An Event_Reference on more than one row",
    "import-too-long": "A value longer than the record holds",
    "import-number": "A cost or number of units the record cannot hold",
    "import-date": "A date the record refuses",
    "import-person-differs": "One person ID with different details on different rows",
    "import-nhs-number": "An NHS number held by another person",
    "import-reference-conflict": "An Event_Reference the record holds for another person or type",
    "import-record-differs": "A value different from what is recorded in carebridge",
    "import-linked-person": "A linked person ID that is no one in the file or the record",
}

# Person details held on ``Person``: (CLD field, model field, a blank record value is a gap the
# file may fill).
_PERSON_FIELDS = (
    ("NHS_Number", "nhs_number", True),
    ("First_Name", "given_name", False),
    ("Last_Name", "family_name", False),
    (cld.GENDER, "gender", False),
    (cld.ETHNICITY, "ethnicity", False),
    ("Date_of_Birth", "date_of_birth", False),
    ("Date_of_Death", "date_of_death", True),
    ("Postcode", "postcode", True),
    (cld.PRIMARY_SUPPORT_REASON, "primary_support_reason", True),
)
_MAX_LENGTH = {
    "LA_Person_Unique_Identifier": 20,
    "First_Name": 100,
    "Last_Name": 100,
    "GP_Practice_Code": 10,
    "GP_Practice_Name": 200,
    "Event_Reference": 20,
    "Provider_CQC_Location_ID": 20,
    "Provider_CQC_Location_Name": 200,
}
# (CLD field, model field, max digits) for the numbers an event holds (NUMERIC(·, 2)).
_NUMBERS = (("Unit_Cost", "unit_cost", 10), ("Planned_units_per_week", "planned_units_per_week", 8))
_CODE_FIELDS = frozenset(
    {
        cld.GENDER,
        cld.ETHNICITY,
        cld.CLIENT_TYPE,
        cld.PRIMARY_SUPPORT_REASON,
        cld.ACCOMMODATION_STATUS,
        cld.EMPLOYMENT_STATUS,
        cld.CLIENT_FUNDING_STATUS,
        cld.EVENT_TYPE,
        cld.EVENT_OUTCOME,
        cld.ROUTE_OF_ACCESS,
        cld.ASSESSMENT_TYPE,
        cld.METHOD_OF_ASSESSMENT,
        cld.SERVICE_TYPE,
        cld.SERVICE_COMPONENT,
        cld.DELIVERY_MECHANISM,
        cld.REVIEW_REASON,
        cld.REVIEW_OUTCOMES_ACHIEVED,
        cld.METHOD_OF_REVIEW,
        cld.COST_FREQUENCY,
    }
)
_DATE_FIELDS = frozenset({"Date_of_Birth", "Date_of_Death", "Event_Start_Date", "Event_End_Date"})
# Each event type's own fields: (CLD field, model field). The rest are left empty, as the
# export writes them (a value where a field does not apply is a validator warning).
_EVENT_FIELDS = {
    cld.REQUEST: ((cld.ROUTE_OF_ACCESS, "route_of_access"),),
    cld.ASSESSMENT: (
        (cld.ASSESSMENT_TYPE, "assessment_type"),
        (cld.METHOD_OF_ASSESSMENT, "method_of_assessment"),
    ),
    cld.SERVICE: (
        (cld.SERVICE_TYPE, "service_type"),
        (cld.SERVICE_COMPONENT, "service_component"),
        (cld.DELIVERY_MECHANISM, "delivery_mechanism"),
        (cld.COST_FREQUENCY, "cost_frequency"),
    ),
    cld.REVIEW: (
        (cld.REVIEW_REASON, "review_reason"),
        (cld.METHOD_OF_REVIEW, "method_of_review"),
        (cld.REVIEW_OUTCOMES_ACHIEVED, "review_outcomes_achieved"),
    ),
}
# Every event field the import sets and compares (provider and numbers apart).
_TEXT_EVENT_FIELDS = (
    "client_type",
    "outcome",
    "description",
    "route_of_access",
    "assessment_type",
    "method_of_assessment",
    "service_type",
    "service_component",
    "delivery_mechanism",
    "cost_frequency",
    "review_reason",
    "method_of_review",
    "review_outcomes_achieved",
)
_COMPARED_EVENT_FIELDS = (
    "event_type",
    "start_date",
    "end_date",
    *_TEXT_EVENT_FIELDS,
    "unit_cost",
    "planned_units_per_week",
)
# Fields the record does not hold, or derives itself: read but not stored (counted).
NOT_HELD = (
    "Autism_Spectrum_Disorder_ASD",
    cld.VISUAL_IMPAIRMENT,
    cld.HEARING_IMPAIRMENT,
    "Dementia",
    "Eligible_Needs_Identified",
    "Total_Hrs_Caring_per_week",
)
ADULTS_CARED_FOR = "No_of_adults_being_cared_for"


class BadFile(ValueError):
    """The file cannot be read as a CLD CSV at all (exit status 2)."""


@dataclass(frozen=True, slots=True)
class Problem:
    row: int  # as numbered in the file: the header is row 1
    field: str
    value: str
    rule: str  # a validator rule id, or one of ``PROBLEMS``
    message: str


@dataclass
class FilePerson:
    person_id: str
    row: int  # first row
    values: dict[str, Any] = field(default_factory=dict)  # CLD field -> normalised value
    rows_of: dict[str, int] = field(default_factory=dict)  # CLD field -> row it came from
    service_user: bool = False
    unknown_employment_recorded: bool = False
    links: list[tuple[int, str, str]] = field(default_factory=list)  # (row, field, linked ID)


@dataclass
class FileEvent:
    row: int
    person_id: str
    reference: str
    values: dict[str, Any]  # model field -> value
    provider: tuple[str, str] | None  # (CQC location ID, name)


@dataclass
class ParsedFile:
    name: str
    sha256: str
    rows: int = 0
    la_codes: dict[str, int] = field(default_factory=dict)  # LA_Code -> first row
    period: tuple[dt.date, dt.date] | None = None
    people: dict[str, FilePerson] = field(default_factory=dict)
    events: list[FileEvent] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: Counter[str] = field(default_factory=Counter)  # validator rule -> findings
    untraced_rows: int = 0  # rows without an NHS number (NOT_YET_TRACED), loaded
    not_held: Counter[str] = field(default_factory=Counter)  # CLD field -> rows with a value
    # People on rows that failed a check (their details were not read): linking to them is not
    # a further problem.
    on_failed_rows: set[str] = field(default_factory=set)


@dataclass
class Counts:
    rows: int = 0
    people_created: int = 0
    people_updated: int = 0
    people_unchanged: int = 0
    events_created: int = 0
    events_updated: int = 0
    events_unchanged: int = 0
    carer_links_created: int = 0
    accommodation_statuses: int = 0
    employment_statuses: int = 0
    funding_statuses: int = 0
    adults_cared_for: int = 0
    organisations_created: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)

    @property
    def changed_anything(self) -> bool:
        return any(v for k, v in self.__dict__.items() if k != "rows" and "unchanged" not in k)


# A blank NHS number fails the return (DHSC scores it 'Failed: Blank (Mandatory)'), but the row
# is still sent and the person is known by their council ID (fields.csv NHS_Number; rules.md
# s4). A legacy system holds people never traced on the Personal Demographics Service, and a
# council moving off it must bring them across: such rows are loaded, counted and reported, to
# be traced at source before the next return. Every other mandatory rule refuses the file.
NOT_YET_TRACED = ("mandatory-blank", "NHS_Number")


# --- 1. Reading the file -------------------------------------------------------------------------


def read_file(path: str | Path, today: dt.date) -> ParsedFile:
    """Read and check a CLD file; raise ``BadFile`` when it is not one (unreadable, not UTF-8,
    not CSV, a header without the CLD columns)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise BadFile(f"no such file: {path}") from None
    except IsADirectoryError:
        raise BadFile(f"{path} is a folder, not a CLD file") from None
    except OSError as e:
        raise BadFile(f"cannot read {path}: {e.strerror or e}") from None
    parsed = ParsedFile(name=path.name, sha256=hashlib.sha256(data).hexdigest())
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadFile(f"{path.name} is not UTF-8 text: save it as 'CSV UTF-8'") from None
    try:
        _read_rows(parsed, io.StringIO(text, newline=""), today)
    except UnreadableFile as e:
        raise BadFile(str(e)) from None
    except csv.Error as e:
        raise BadFile(f"{path.name} is not valid CSV: {e}") from None
    return parsed


def _read_rows(parsed: ParsedFile, lines: Iterable[str], today: dt.date) -> None:
    reader = csv.reader(lines)
    header = next(reader, None)
    row_number = 1
    while header is not None and not any(h.strip() for h in header):
        header = next(reader, None)
    if header is None:
        raise UnreadableFile(f"{parsed.name} is empty: expected a CLD header row")
    if any("\x00" in h for h in header):
        raise UnreadableFile(f"{parsed.name} is not a text CSV file (it has NUL bytes)")
    validator = CLDValidator(header)
    wrong = [f for f in validator.header_findings if f.severity == FAIL]
    if wrong:
        raise UnreadableFile(
            f"{parsed.name} does not have the CLD Release 2 header: "
            + "; ".join(f.message for f in wrong[:5])
            + (f"; and {len(wrong) - 5} more" if len(wrong) > 5 else "")
        )
    parsed.warnings.update(f.rule for f in validator.header_findings)
    columns = validator.columns
    width = len(header)
    references: dict[str, int] = {}
    for values in reader:
        row_number += 1
        if not values:
            continue
        findings = validator.check_row(row_number, values)
        failed = False
        for f in findings:
            if (f.rule, f.field) == NOT_YET_TRACED:
                parsed.untraced_rows += 1
            elif f.severity == FAIL:
                failed = True
                parsed.problems.append(Problem(f.row, f.field, f.value, f.rule, f.message))
            else:
                parsed.warnings[f.rule] += 1
        if len(values) != width or not any(v.strip() for v in values):
            continue
        parsed.rows += 1
        row = {}
        for name, i in columns.items():
            text = values[i].strip()
            if text and text.upper() != "NULL":
                row[name] = text
        if not failed:
            _read_row(parsed, row_number, row, references, today)
        elif row.get("LA_Person_Unique_Identifier"):
            parsed.on_failed_rows.add(row["LA_Person_Unique_Identifier"])
    for f in validator.finish():
        if f.severity == FAIL:
            parsed.problems.append(Problem(f.row, f.field, f.value, f.rule, f.message))
        else:
            parsed.warnings[f.rule] += 1


def _problem(parsed: ParsedFile, row: int, name: str, value: str, rule: str, message: str) -> None:
    parsed.problems.append(Problem(row, name, value, rule, message))


def _value(name: str, text: str) -> Any:
    """A valid field's text as the record holds it."""
    if name in _CODE_FIELDS:
        return canonical_code(name, text) or text
    if name in _DATE_FIELDS:
        return read_date(text)
    if name == "NHS_Number":
        return nhs_number.normalise(text)
    if name == ADULTS_CARED_FOR:
        try:
            return int(Decimal(text))
        except (InvalidOperation, ValueError):
            return text  # the validator has judged it
    if name == "Postcode":
        try:
            return postcode.parse(text)
        except postcode.InvalidPostcode:
            return text  # kept as written (the validator has judged it)
    return text


def _read_row(
    parsed: ParsedFile, row_number: int, row: dict[str, str], refs: dict[str, int], today
) -> None:
    """One valid row: its person's details (checked against their earlier rows) and its event."""
    g = row.get
    problems_before = len(parsed.problems)
    parsed.la_codes.setdefault(g("LA_Code", ""), row_number)
    if parsed.period is None:
        start, end = (
            read_date(g("Reporting_Period_Start_Date", "")),
            read_date(g("Reporting_Period_End_Date", "")),
        )
        if start and end:
            parsed.period = (start, end)
    for name, limit in _MAX_LENGTH.items():
        if len(g(name, "")) > limit:
            _problem(
                parsed,
                row_number,
                name,
                row[name],
                "import-too-long",
                f"{name} {row[name]!r} is {len(row[name])} characters long: the record "
                f"holds at most {limit}",
            )
    for name in NOT_HELD:
        if g(name):
            parsed.not_held[name] += 1
    person_id = row["LA_Person_Unique_Identifier"]
    client_type = _value(cld.CLIENT_TYPE, row[cld.CLIENT_TYPE])
    service_user = client_type == cld.SERVICE_USER
    event_type = None if client_type == cld.UNPAID_CARER_BY_ASSOCIATION else g(cld.EVENT_TYPE)
    if event_type:
        event_type = _value(cld.EVENT_TYPE, event_type)
        reference = g("Event_Reference", "")
        if not reference:
            _problem(
                parsed,
                row_number,
                "Event_Reference",
                "",
                "import-no-reference",
                "Event_Reference is blank: the import needs each event's reference to "
                "match it on a later load; give it the legacy system's event ID",
            )
        elif reference in refs:
            _problem(
                parsed,
                row_number,
                "Event_Reference",
                reference,
                "import-duplicate-reference",
                f"Event_Reference {reference} is also on row {refs[reference]}: each "
                "event has its own reference",
            )
        else:
            refs[reference] = row_number
    # Person details, the same on every row of the person.
    person = parsed.people.get(person_id)
    if person is None:
        person = parsed.people[person_id] = FilePerson(person_id, row_number)
    person.service_user |= service_user
    names = [n for n, _, _ in _PERSON_FIELDS if n != cld.PRIMARY_SUPPORT_REASON]
    names += [
        "GP_Practice_Code",
        "GP_Practice_Name",
        cld.ACCOMMODATION_STATUS,
        cld.EMPLOYMENT_STATUS,
    ]
    if service_user:  # a carer's row carries the carers' PSR and no funding status
        names += [cld.PRIMARY_SUPPORT_REASON, cld.CLIENT_FUNDING_STATUS]
    else:
        names.append(ADULTS_CARED_FOR)
    if (
        g(cld.EMPLOYMENT_STATUS)
        and _value(cld.EMPLOYMENT_STATUS, row[cld.EMPLOYMENT_STATUS]) == (cld.UNKNOWN)
        and not _employment_derived(row, service_user)
    ):
        # 'Unknown' where the export would write nothing: recorded, so it writes it again.
        person.unknown_employment_recorded = True
    for name in names:
        text = g(name)
        if not text:
            continue
        value = _value(name, text)
        if name in person.values:
            if person.values[name] != value:
                _problem(
                    parsed,
                    row_number,
                    name,
                    text,
                    "import-person-differs",
                    f"{name} {text} differs from {_shown(person.values[name])} on row "
                    f"{person.rows_of[name]} for LA_Person_Unique_Identifier {person_id}: "
                    "one person has one value in a CLD file",
                )
            continue
        person.values[name] = value
        person.rows_of[name] = row_number
    for name, label in (("Date_of_Birth", "birth"), ("Date_of_Death", "death")):
        day = person.values.get(name)
        if day and day > today and person.rows_of[name] == row_number:
            _problem(
                parsed,
                row_number,
                name,
                row[name],
                "import-date",
                f"{name} {row[name]} is in the future: the record holds a date of {label} "
                "only once it has passed",
            )
    if client_type in (cld.UNPAID_CARER, cld.UNPAID_CARER_BY_ASSOCIATION):
        for name in LINKED_PERSON_IDS:
            if g(name) and g(name) != person_id:
                person.links.append((row_number, name, row[name]))
    if not event_type or len(parsed.problems) > problems_before:
        return
    values: dict[str, Any] = {
        "event_type": event_type,
        "client_type": client_type,
        "start_date": read_date(row["Event_Start_Date"]),
        "end_date": read_date(g("Event_End_Date", "")),
        "outcome": _value(cld.EVENT_OUTCOME, g(cld.EVENT_OUTCOME, ""))
        if g(cld.EVENT_OUTCOME)
        else "",
        "description": g("Event_Description", ""),
    }
    for model_field in _TEXT_EVENT_FIELDS:
        values.setdefault(model_field, "")
    for name, model_field in _EVENT_FIELDS[event_type]:
        if g(name):
            values[model_field] = _value(name, row[name])
    provider = None
    values["unit_cost"] = values["planned_units_per_week"] = None
    if event_type == cld.SERVICE:
        for name, model_field, digits in _NUMBERS:
            if g(name):
                number = _number(parsed, row_number, name, row[name], digits)
                values[model_field] = number
        cqc_id, provider_name = (
            g("Provider_CQC_Location_ID", ""),
            g("Provider_CQC_Location_Name", ""),
        )
        if cqc_id or provider_name:
            provider = (cqc_id, provider_name)
        if values["end_date"] is None and values["outcome"] == OUTCOME_CONTINUING:
            values["outcome"] = ""  # the export writes it for every open service
    parsed.events.append(FileEvent(row_number, person_id, row["Event_Reference"], values, provider))


def _employment_derived(row: dict[str, str], service_user: bool) -> bool:
    """Whether the export writes Employment_Status 'Unknown' on this row when none is recorded
    (``cld_export._Rows._employment_needed``: 18-64 at the period end, learning disability)."""
    psr = _value(cld.PRIMARY_SUPPORT_REASON, row.get(cld.PRIMARY_SUPPORT_REASON, ""))
    born = read_date(row.get("Date_of_Birth", ""))
    end = read_date(row.get("Reporting_Period_End_Date", ""))
    if not service_user or psr != "Learning disability support" or not born or not end:
        return False
    return 18 <= dates.age_on(born, end) <= 64


def _number(parsed: ParsedFile, row: int, name: str, text: str, digits: int) -> Decimal | None:
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None  # the validator has said so
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        _problem(
            parsed,
            row,
            name,
            text,
            "import-number",
            f"{name} {text} has more than 2 decimal places: the record holds pence and "
            "hundredths of a unit; round it in the file",
        )
    elif abs(number) >= Decimal(10) ** (digits - 2):
        _problem(
            parsed,
            row,
            name,
            text,
            "import-number",
            f"{name} {text} is too large for the record (at most "
            f"{Decimal(10) ** (digits - 2) - Decimal('0.01')})",
        )
    return number.quantize(Decimal("0.01"))


def _shown(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


# --- 2. Planning against the record ---------------------------------------------------------------


@dataclass
class Plan:
    parsed: ParsedFile
    la_code: str
    period_start: dt.date
    period_end: dt.date
    as_at: dt.date  # status histories and imported funding statuses are dated from here
    problems: list[Problem]
    new_people: list[FilePerson] = field(default_factory=list)
    person_updates: dict[int, dict[str, Any]] = field(default_factory=dict)  # pk -> changes
    person_pk: dict[str, int] = field(default_factory=dict)  # person ID -> pk (existing)
    unchanged_people: int = 0
    accommodation: list[tuple[str, str]] = field(default_factory=list)  # (person ID, status)
    employment: list[tuple[str, str]] = field(default_factory=list)
    funding: list[tuple[str, str]] = field(default_factory=list)
    adults_cared_for: list[tuple[str, int]] = field(default_factory=list)
    new_events: list[FileEvent] = field(default_factory=list)
    event_updates: list[tuple[int, int, FileEvent]] = field(default_factory=list)  # (pk, person)
    unchanged_events: int = 0
    links: list[tuple[str, str]] = field(default_factory=list)  # (carer ID, cared-for ID)
    gp_practices: dict[tuple[str, str], int | None] = field(default_factory=dict)
    providers: dict[tuple[str, str], int | None] = field(default_factory=dict)


def _chunks(values: Iterable, size: int = LOOKUP_CHUNK) -> Iterator[list]:
    values = list(values)
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _in(queryset, field_name: str, values: Iterable, *columns: str) -> Iterator[tuple]:
    """``values_list(*columns)`` of the rows whose ``field_name`` is one of ``values``, looked up
    in chunks (a few queries, whatever the file's size)."""
    for chunk in _chunks(set(values)):
        yield from queryset.filter(**{f"{field_name}__in": chunk}).values_list(*columns)


def plan(parsed: ParsedFile, la_code: str, today: dt.date) -> Plan:
    """Compare the file with the record; every problem found (nothing is written)."""
    from carebridge.casework.models import Event

    problems = list(parsed.problems)
    for code, row in parsed.la_codes.items():
        if code != la_code:
            problems.append(
                Problem(
                    row,
                    "LA_Code",
                    code,
                    "import-la-code",
                    f"LA_Code {code} is not this council's CASSR code {la_code}: "
                    "this file is another council's, or the code is wrong",
                )
            )
    start, end = parsed.period or (today, today)
    p = Plan(parsed, la_code, start, end, min(end, today), problems)
    people = parsed.people
    _plan_organisations(p)
    existing = _existing_people(p)
    imported_people = _imported_people(set(existing.values()))
    _check_nhs_numbers(p, existing)
    statuses = _statuses(p, existing)
    dod: dict[str, dt.date | None] = {}
    for person_id, fp in people.items():
        pk = existing.get(person_id)
        if pk is None:
            p.new_people.append(fp)
            dod[person_id] = fp.values.get("Date_of_Death")
            for name, target in (
                (cld.ACCOMMODATION_STATUS, p.accommodation),
                (cld.EMPLOYMENT_STATUS, p.employment),
                (cld.CLIENT_FUNDING_STATUS, p.funding),
            ):
                value = fp.values.get(name)
                if value and (value != cld.UNKNOWN or _keeps_unknown(fp, name)):
                    target.append((person_id, value))
            continue
        p.person_pk[person_id] = pk
        record, accommodation, employment, charge, imported_funding = statuses[pk]
        dod[person_id] = fp.values.get("Date_of_Death") or record["date_of_death"]
        changes = _person_changes(p, fp, record, pk in imported_people)
        changed = bool(changes)
        if changes:
            p.person_updates[pk] = changes
        for name, current, target in (
            (cld.ACCOMMODATION_STATUS, accommodation, p.accommodation),
            (cld.EMPLOYMENT_STATUS, employment, p.employment),
        ):
            value = fp.values.get(name)
            if not value or value == current:
                continue
            if not current and value == cld.UNKNOWN and not _keeps_unknown(fp, name):
                continue
            if current and current != cld.UNKNOWN and pk not in imported_people:
                _differs(p, fp, name, value, current)
            else:
                target.append((person_id, value))
                changed = True
        value = fp.values.get(cld.CLIENT_FUNDING_STATUS)
        if value and charge is not None and value != charge:
            _differs(
                p,
                fp,
                cld.CLIENT_FUNDING_STATUS,
                value,
                charge,
                "(from the charge decision in force)",
            )
        elif value and charge is None and value != (imported_funding or cld.UNKNOWN):
            p.funding.append((person_id, value))
            changed = True
        if not changed:
            p.unchanged_people += 1
    _plan_events(p, existing, dod, Event)
    _plan_links(p, existing)
    return p


def _keeps_unknown(fp: FilePerson, name: str) -> bool:
    """'Unknown' is what the export writes when nothing is recorded, except an employment
    status on rows where it writes nothing."""
    return name == cld.EMPLOYMENT_STATUS and fp.unknown_employment_recorded


def _plan_organisations(p: Plan) -> None:
    """GP practices by ODS code (else name) and providers by CQC location ID (else name): the
    record's organisation where it has one (its name kept), otherwise one to create."""
    from carebridge.organisations.models import Organisation

    gps = {
        (fp.values.get("GP_Practice_Code", ""), fp.values.get("GP_Practice_Name", ""))
        for fp in p.parsed.people.values()
    } - {("", "")}
    providers = {e.provider for e in p.parsed.events if e.provider}
    for wanted, target, code_field, kind in (
        (gps, p.gp_practices, "ods_code", Organisation.GP_PRACTICE),
        (providers, p.providers, "cqc_location_id", Organisation.PROVIDER),
    ):
        by_code = dict(
            _in(Organisation.objects, code_field, {c for c, _ in wanted if c}, code_field, "pk")
        )
        by_name = dict(
            _in(
                Organisation.objects.filter(kind=kind, **{code_field: ""}),
                "name",
                {n for c, n in wanted if not c},
                "name",
                "pk",
            )
        )
        for code, name in wanted:
            target[(code, name)] = by_code.get(code) if code else by_name.get(name)


def _existing_people(p: Plan) -> dict[str, int]:
    from carebridge.people.models import Person

    return dict(_in(Person.objects, "person_id", p.parsed.people, "person_id", "pk"))


def _imported_people(pks: set[int]) -> set[int]:
    """People a CLD import created: theirs to update."""
    from .models import ImportAction, ImportedPerson

    query = ImportedPerson.objects.filter(action=ImportAction.CREATED)
    return {pk for (pk,) in _in(query, "person_id", pks, "person_id")}


def _check_nhs_numbers(p: Plan, existing: dict[str, int]) -> None:
    from carebridge.people.models import Person

    by_number: dict[str, FilePerson] = {}
    for fp in p.parsed.people.values():
        number = fp.values.get("NHS_Number")
        if not number:
            continue
        other = by_number.setdefault(number, fp)
        if other is not fp:
            _person_problem(
                p,
                fp,
                "NHS_Number",
                number,
                "import-nhs-number",
                f"NHS_Number {number} is also given to LA_Person_Unique_Identifier "
                f"{other.person_id} (row {other.rows_of['NHS_Number']}): one NHS "
                "number is one person",
            )
    holders = _in(Person.objects, "nhs_number", by_number, "nhs_number", "person_id")
    for number, holder in holders:
        fp = by_number[number]
        if holder != fp.person_id:
            _person_problem(
                p,
                fp,
                "NHS_Number",
                number,
                "import-nhs-number",
                f"NHS_Number {number} is held in the record by another person "
                f"(council person ID {holder}), not {fp.person_id}: check whether "
                "they are the same person",
            )


def _person_problem(p: Plan, fp: FilePerson, name: str, value: Any, rule: str, msg: str) -> None:
    p.problems.append(Problem(fp.rows_of.get(name, fp.row), name, _shown(value), rule, msg))


def _differs(p: Plan, fp: FilePerson, name: str, value: Any, current: Any, why: str = "") -> None:
    _person_problem(
        p,
        fp,
        name,
        value,
        "import-record-differs",
        f"{name} {_shown(value)} differs from {_shown(current)} recorded in "
        f"carebridge{' ' + why if why else ''} for {fp.person_id}: correct the "
        "record or the file (the import changes only what an import brought in)",
    )


_RECORD_COLUMNS = (
    "pk",
    "nhs_number",
    "given_name",
    "family_name",
    "gender",
    "ethnicity",
    "date_of_birth",
    "date_of_death",
    "postcode",
    "primary_support_reason",
    "gp_practice_id",
    "gp_practice__ods_code",
    "gp_practice__name",
)


def _statuses(p: Plan, existing: dict[str, int]) -> dict[int, tuple]:
    """For each existing person: (their details, accommodation and employment status as at the
    period end, the funding status of the charge decision in force then, the latest imported
    funding status by then)."""
    from carebridge.finance.models import ChargeDecision
    from carebridge.people.models import AccommodationStatusRecord, EmploymentStatusRecord, Person

    from . import cld_export
    from .models import ImportedFundingStatus

    pks = set(existing.values())
    end = p.period_end
    details = {
        r[0]: dict(zip(_RECORD_COLUMNS, r, strict=True))
        for r in _in(Person.objects, "pk", pks, *_RECORD_COLUMNS)
    }
    latest: list[dict[int, str]] = []
    for model in (AccommodationStatusRecord, EmploymentStatusRecord, ImportedFundingStatus):
        date_field = "as_at" if model is ImportedFundingStatus else "valid_from"
        out: dict[int, str] = {}
        query = model.objects.filter(**{f"{date_field}__lte": end}).order_by(
            "person_id", date_field, "id"
        )
        for pk, status in _in(query, "person_id", pks, "person_id", "status"):
            out[pk] = status  # the last one read is the latest
        latest.append(out)
    charges: dict[int, str] = {}
    in_force = ChargeDecision.objects.filter(valid_from__lte=end).exclude(valid_to__lte=end)
    for pk, amount, cost, s117 in _in(
        in_force.order_by("person_id", "valid_from", "id"),
        "person_id",
        pks,
        "person_id",
        "weekly_amount",
        "weekly_care_cost",
        "s117_aftercare",
    ):
        charges[pk] = cld_export.funding_status(amount, cost, s117)
    return {
        pk: (details[pk], latest[0].get(pk), latest[1].get(pk), charges.get(pk), latest[2].get(pk))
        for pk in pks
    }


def _person_changes(p: Plan, fp: FilePerson, record: dict, imported: bool) -> dict[str, Any]:
    """The person's details the file changes ({model field: value}); a difference from a value
    recorded in carebridge is a problem unless an import brought the person in."""
    changes: dict[str, Any] = {}
    for name, model_field, gap in _PERSON_FIELDS:
        value = fp.values.get(name)
        current = record[model_field]
        if not value or value == current:
            continue
        if name == cld.PRIMARY_SUPPORT_REASON and value == cld.UNKNOWN:
            continue
        is_gap = gap and current in (None, "", cld.UNKNOWN)
        if imported or is_gap:
            changes[model_field] = value
        else:
            _differs(p, fp, name, value, current)
    code, name = fp.values.get("GP_Practice_Code", ""), fp.values.get("GP_Practice_Name", "")
    if code or name:
        same = (
            code == (record["gp_practice__ods_code"] or "")
            if code
            else name == (record["gp_practice__name"] or "")
        )
        if not same:
            if imported or record["gp_practice_id"] is None:
                changes["gp_practice"] = (code, name)
            else:
                _differs(
                    p,
                    fp,
                    "GP_Practice_Code" if code else "GP_Practice_Name",
                    code or name,
                    record["gp_practice__ods_code"] or record["gp_practice__name"],
                )
    return changes


def exported(values: dict[str, Any], died: dt.date | None) -> dict[str, Any]:
    """An event's values as the export writes them (``cld_export._Rows.__iter__``): an open
    service ends on the date of death, or continues; a carer's request without a route is a
    community one."""
    out = dict(values)
    if out["event_type"] == cld.SERVICE and out["end_date"] is None:
        if died:
            out["end_date"] = died
            out["outcome"] = out["outcome"] or OUTCOME_DECEASED
        else:
            out["outcome"] = out["outcome"] or OUTCOME_CONTINUING
    if (
        out["event_type"] == cld.REQUEST
        and not out["route_of_access"]
        and out["client_type"] == cld.UNPAID_CARER
    ):
        out["route_of_access"] = CARER_DEFAULT_ROUTE
    return out


def _plan_events(p: Plan, existing_people: dict[str, int], dod: dict, Event) -> None:
    from carebridge.organisations.models import Organisation

    columns = (
        "pk",
        "reference",
        "person__person_id",
        "source",
        "provider__cqc_location_id",
        "provider__name",
        *_COMPARED_EVENT_FIELDS,
    )
    events = {
        r[1]: dict(zip(columns, r, strict=True))
        for r in _in(Event.objects, "reference", (e.reference for e in p.parsed.events), *columns)
    }
    provider_names = dict(
        _in(Organisation.objects, "pk", {pk for pk in p.providers.values() if pk}, "pk", "name")
    )
    for e in p.parsed.events:
        current = events.get(e.reference)
        if current is None:
            p.new_events.append(e)
            continue
        if current["person__person_id"] != e.person_id:
            p.problems.append(
                Problem(
                    e.row,
                    "Event_Reference",
                    e.reference,
                    "import-reference-conflict",
                    f"Event_Reference {e.reference} is held in the record for "
                    f"another person ({current['person__person_id']}), not "
                    f"{e.person_id}: references are unique across the record",
                )
            )
            continue
        if current["event_type"] != e.values["event_type"]:
            p.problems.append(
                Problem(
                    e.row,
                    "Event_Type",
                    e.values["event_type"],
                    "import-reference-conflict",
                    f"Event_Reference {e.reference} is a "
                    f"{current['event_type']} in the record, not a "
                    f"{e.values['event_type']}",
                )
            )
            continue
        died = dod.get(e.person_id)
        mine = exported({k: current[k] for k in _COMPARED_EVENT_FIELDS}, died)
        theirs = exported(e.values, died)
        shown_provider = ("", "")
        if e.provider:
            pk = p.providers.get(e.provider)
            shown_provider = (e.provider[0], provider_names.get(pk, e.provider[1]))
        held_provider = (
            current["provider__cqc_location_id"] or "",
            current["provider__name"] or "",
        )
        differing = [k for k in _COMPARED_EVENT_FIELDS if mine[k] != theirs[k]]
        if shown_provider != held_provider:
            differing.append("provider")
        if not differing:
            p.unchanged_events += 1
        elif current["source"] == Event.Source.CLD_IMPORT:
            p.event_updates.append((current["pk"], existing_people[e.person_id], e))
        else:
            p.problems.append(
                Problem(
                    e.row,
                    "Event_Reference",
                    e.reference,
                    "import-record-differs",
                    f"Event {e.reference} was recorded in carebridge and its "
                    f"{', '.join(differing)} differ from this row: correct "
                    "the record or the file (the import changes only what "
                    "an import brought in)",
                )
            )


def _plan_links(p: Plan, existing: dict[str, int]) -> None:
    """Carer -> cared-for links: each linked ID must be someone in the file or the record; a
    link the record already has (current, or overlapping the period) is kept as it is."""
    from django.db.models import Q

    from carebridge.people.models import CarerRelationship, Person

    file_people = p.parsed.people
    linked = {lid for fp in file_people.values() for _, _, lid in fp.links}
    outside = linked - set(file_people)
    known_outside = dict(_in(Person.objects, "person_id", outside, "person_id", "pk"))
    person_pk = {**existing, **known_outside}
    held: set[tuple[int, int]] = set()
    rels = CarerRelationship.objects.filter(
        Q(ended_on__isnull=True)
        | (
            (Q(started_on__isnull=True) | Q(started_on__lte=p.period_end))
            & Q(ended_on__gte=p.period_start)
        )
    )
    carers = [existing[c] for c in file_people if c in existing]
    for carer, cared_for in _in(rels, "carer_id", carers, "carer_id", "cared_for_id"):
        held.add((carer, cared_for))
    seen: set[tuple[str, str]] = set()
    for fp in file_people.values():
        for row, name, lid in fp.links:
            if lid in p.parsed.on_failed_rows and lid not in file_people:
                continue  # their own rows are reported already
            if lid not in file_people and lid not in known_outside:
                p.problems.append(
                    Problem(
                        row,
                        name,
                        lid,
                        "import-linked-person",
                        f"{name} {lid} is no one in this file or the record: "
                        "the carer cannot be linked to them; check the ID",
                    )
                )
                continue
            key = (fp.person_id, lid)
            if key in seen:
                continue
            seen.add(key)
            carer_pk, cared_pk = person_pk.get(fp.person_id), person_pk.get(lid)
            if carer_pk is None or cared_pk is None or (carer_pk, cared_pk) not in held:
                p.links.append(key)
    _plan_adults_cared_for(p, existing, person_pk, held)


def _plan_adults_cared_for(p: Plan, existing, person_pk, held: set[tuple[int, int]]) -> None:
    """No_of_adults_being_cared_for is kept (``ImportedAdultsCaredFor``) only where it counts
    more adults than the carer will have relationships with (the export counts those)."""
    from .models import ImportedAdultsCaredFor

    wanted = {pid: fp for pid, fp in p.parsed.people.items() if fp.values.get(ADULTS_CARED_FOR)}
    if not wanted:
        return
    held_by: dict[int, set] = {}
    for carer, cared in held:
        held_by.setdefault(carer, set()).add(cared)
    query = ImportedAdultsCaredFor.objects.filter(as_at__lte=p.period_end).order_by(
        "person_id", "as_at", "id"
    )
    imported = dict(
        _in(query, "person_id", [existing[i] for i in wanted if i in existing], "person_id",
            "adults")
    )  # fmt: skip
    for pid, fp in wanted.items():
        adults = fp.values[ADULTS_CARED_FOR]
        if not isinstance(adults, int):
            continue
        pk = existing.get(pid)
        cared = set(held_by.get(pk, ())) if pk else set()
        cared.update(person_pk.get(lid, lid) for _, _, lid in fp.links)
        if adults > len(cared) and adults != imported.get(pk):
            p.adults_cared_for.append((pid, adults))


# --- 3. Loading ----------------------------------------------------------------------------------


def new_event(e: FileEvent, person_pk: int, provider_pk: int | None, worker) -> dict[str, Any]:
    """The column values of a new event (one place, so a test can make it fail part-way)."""
    from carebridge.casework.models import Event

    return {
        "person_id": person_pk,
        "reference": e.reference,
        "provider_id": provider_pk,
        "source": Event.Source.CLD_IMPORT,
        "created_by_id": worker.pk if worker else None,
        **e.values,
    }


def _insert(model, rows: list[dict[str, Any]]) -> None:
    """Insert rows given as {attname: value}, the model's defaults filling the rest, as plain
    tuples (``demo.writer``: COPY on PostgreSQL, executemany on SQLite): a county's file is
    hundreds of thousands of rows with the search keys, too many to build model instances for.
    The database assigns the keys."""
    from django.utils import timezone

    from carebridge.demo.writer import insert_rows

    if not rows:
        return
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {}
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults[f.attname] = now
        elif f.has_default():
            defaults[f.attname] = f.get_default()
        elif f.null:
            defaults[f.attname] = None
        elif f.blank and f.empty_strings_allowed:
            defaults[f.attname] = ""
    names = [f.attname for f in fields]
    missing = [n for n in names if n not in defaults and n not in rows[0]]
    if missing:
        raise ValueError(f"{model.__name__}: no value for {missing}")
    tuples = [tuple(r[n] if n in r else defaults[n] for n in names) for r in rows]
    for start in range(0, len(tuples), BATCH * 25):
        insert_rows(model, names, tuples[start : start + BATCH * 25])


def load(p: Plan, worker, run_by: str) -> tuple[Counts, int]:
    """Write the plan (the caller holds the transaction); the counts and the import's key."""
    from django.utils import timezone

    from carebridge.casework.models import Event
    from carebridge.organisations.models import Organisation
    from carebridge.people.models import (
        AccommodationStatusRecord,
        CarerRelationship,
        EmploymentStatusRecord,
        Person,
        PersonName,
        PersonNameKey,
    )
    from carebridge.rules import names as name_rules
    from carebridge.rules.local_codes import RELATIONSHIP_NOT_RECORDED

    from .models import (
        CLDImport,
        ImportAction,
        ImportedAdultsCaredFor,
        ImportedEvent,
        ImportedFundingStatus,
        ImportedPerson,
    )

    counts = Counts(rows=p.parsed.rows)
    worker_pk = worker.pk if worker else None
    batch = CLDImport.objects.create(
        file_name=p.parsed.name[:255],
        sha256=p.parsed.sha256,
        la_code=p.la_code,
        period_start=p.period_start,
        period_end=p.period_end,
        rows=p.parsed.rows,
        imported_by=worker,
        run_by=run_by[:200],
    )
    # Organisations the record does not have yet.
    for target, kind, code_field in (
        (p.gp_practices, Organisation.GP_PRACTICE, "ods_code"),
        (p.providers, Organisation.PROVIDER, "cqc_location_id"),
    ):
        missing = sorted(key for key, pk in target.items() if pk is None)
        made = Organisation.objects.bulk_create(
            [
                Organisation(kind=kind, name=name or code, **{code_field: code})
                for code, name in missing
            ],
            batch_size=BATCH,
        )
        for key, org in zip(missing, made, strict=True):
            target[key] = org.pk
        counts.organisations_created += len(made)

    # People, their current names and search keys (as ``people.services.create_person``).
    new_people = []
    for fp in p.new_people:
        v = fp.values
        number = v.get("NHS_Number") or None
        gp = (v.get("GP_Practice_Code", ""), v.get("GP_Practice_Name", ""))
        code = v.get("Postcode", "")
        new_people.append(
            {
                "person_id": fp.person_id,
                "nhs_number": number,
                "nhs_number_status": "02" if number else "07",
                "given_name": v["First_Name"],
                "family_name": v["Last_Name"],
                "date_of_birth": v["Date_of_Birth"],
                "date_of_death": v.get("Date_of_Death"),
                "gender": v[cld.GENDER],
                "ethnicity": v[cld.ETHNICITY],
                "postcode": code,
                "postcode_compact": postcode.compact(code),
                "gp_practice_id": p.gp_practices.get(gp),
                "primary_support_reason": v.get(cld.PRIMARY_SUPPORT_REASON) or cld.UNKNOWN,
            }
        )
    _insert(Person, new_people)
    created_people = dict(
        _in(Person.objects, "person_id", [r["person_id"] for r in new_people], "person_id", "pk")
    )
    pk_of = {**p.person_pk, **created_people}
    _insert(
        PersonName,
        [
            {
                "person_id": created_people[r["person_id"]],
                "kind": PersonName.Kind.CURRENT,
                "given_name": r["given_name"],
                "family_name": r["family_name"],
            }
            for r in new_people
        ],
    )
    keys = []
    for r in new_people:
        pk = created_people[r["person_id"]]
        for part, name in ((PersonNameKey.Part.GIVEN, r["given_name"]),
                           (PersonNameKey.Part.FAMILY, r["family_name"])):  # fmt: skip
            keys.extend(
                {"person_id": pk, "part": part, "key": k[:110]}
                for k in sorted(name_rules.keys(name))
            )
    _insert(PersonNameKey, keys)
    counts.people_created = len(new_people)
    _update_people(p, worker)
    counts.people_updated = len(p.person_updates)
    counts.people_unchanged = p.unchanged_people
    _insert(
        ImportedPerson,
        [
            {"batch_id": batch.pk, "person_id": pk, "action": ImportAction.CREATED}
            for pk in created_people.values()
        ]
        + [
            {"batch_id": batch.pk, "person_id": pk, "action": ImportAction.UPDATED}
            for pk in _updated_people(p, pk_of)
        ],
    )

    # Dated histories, from the period end (the file states them as at then).
    for model, wanted in (
        (AccommodationStatusRecord, p.accommodation),
        (EmploymentStatusRecord, p.employment),
    ):
        _insert(
            model,
            [
                {"person_id": pk_of[pid], "status": status, "valid_from": p.as_at,
                 "recorded_by_id": worker_pk}
                for pid, status in wanted
            ],
        )  # fmt: skip
    counts.accommodation_statuses = len(p.accommodation)
    counts.employment_statuses = len(p.employment)
    for model, wanted, column in (
        (ImportedFundingStatus, p.funding, "status"),
        (ImportedAdultsCaredFor, p.adults_cared_for, "adults"),
    ):
        _insert(
            model,
            [
                {"person_id": pk_of[pid], column: value, "as_at": p.as_at, "batch_id": batch.pk}
                for pid, value in wanted
            ],
        )
    counts.funding_statuses = len(p.funding)
    counts.adults_cared_for = len(p.adults_cared_for)

    # Events.
    created = []
    for e in p.new_events:
        provider_pk = p.providers.get(e.provider) if e.provider else None
        created.append(new_event(e, pk_of[e.person_id], provider_pk, worker))
    _insert(Event, created)
    created_events = [
        pk for _, pk in _in(Event.objects, "reference", [e["reference"] for e in created],
                            "reference", "pk")
    ]  # fmt: skip
    counts.events_created = len(created_events)
    updated = _update_events(p, worker)
    counts.events_updated = len(updated)
    counts.events_unchanged = p.unchanged_events
    _insert(
        ImportedEvent,
        [
            {"batch_id": batch.pk, "event_id": pk, "action": ImportAction.CREATED}
            for pk in created_events
        ]
        + [
            {"batch_id": batch.pk, "event_id": pk, "action": ImportAction.UPDATED} for pk in updated
        ],
    )

    # Carer links: the council knows of the caring from today (as ``add_carer_relationship``).
    today = timezone.localdate()
    _insert(
        CarerRelationship,
        [
            {"carer_id": pk_of[c], "cared_for_id": pk_of[d],
             "relationship": RELATIONSHIP_NOT_RECORDED[0], "recorded_on": today}
            for c, d in p.links
        ],
    )  # fmt: skip
    counts.carer_links_created = len(p.links)
    batch.counts = counts.as_dict()
    batch.save(update_fields=["counts"])
    return counts, batch.pk


def _updated_people(p: Plan, pk_of: dict[str, int]) -> list[int]:
    """People whose details or histories this load changes (existing people only)."""
    touched = set(p.person_updates)
    for pid, _ in (*p.accommodation, *p.employment, *p.funding, *p.adults_cared_for):
        pk = p.person_pk.get(pid)
        if pk is not None:
            touched.add(pk)
    return sorted(touched)


def _update_people(p: Plan, worker) -> None:
    """Changed details of existing people, each saved and audited as ``update_person`` does
    (a new current name keeps the old one as a previous name)."""
    from django.utils import timezone

    from carebridge.core import audit
    from carebridge.people.models import Person
    from carebridge.people.services import record_new_name

    if not p.person_updates:
        return
    today = timezone.localdate()
    for person in Person.objects.select_for_update().filter(pk__in=list(p.person_updates)):
        before = audit.snapshot(person)
        changes = p.person_updates[person.pk]
        old_name = (person.given_name, person.family_name)
        for model_field, value in changes.items():
            if model_field == "gp_practice":
                person.gp_practice_id = p.gp_practices[value]
            else:
                setattr(person, model_field, value)
        person.postcode_compact = postcode.compact(person.postcode)
        if "nhs_number" in changes:
            person.nhs_number_status = "02"
        person.version += 1
        person.save()
        if (person.given_name, person.family_name) != old_name:
            record_new_name(person, today)
        diff = audit.diff(before, audit.snapshot(person))
        audit.record(
            worker,
            audit.Action.UPDATE,
            person=person,
            obj=person,
            summary="Changed "
            + ", ".join(k.replace("_", " ") for k in diff)
            + f" from CLD file {p.parsed.name}",
            changes=diff,
        )


def _update_events(p: Plan, worker) -> list[int]:
    """Changed values of events an earlier import created, each saved and audited."""
    from carebridge.casework.models import Event
    from carebridge.core import audit

    if not p.event_updates:
        return []
    by_pk = Event.objects.select_for_update().in_bulk([pk for pk, _, _ in p.event_updates])
    out = []
    for pk, _person, e in p.event_updates:
        event = by_pk[pk]
        before = audit.snapshot(event)
        for k, v in e.values.items():
            setattr(event, k, v)
        event.provider_id = p.providers.get(e.provider) if e.provider else None
        event.save()
        diff = audit.diff(before, audit.snapshot(event))
        audit.record(
            worker,
            audit.Action.UPDATE,
            person=event.person_id and event.person,
            obj=event,
            summary=f"Changed {', '.join(diff)} of {event} from CLD file {p.parsed.name}",
            changes=diff,
        )
        out.append(pk)
    return out


# --- The whole import ----------------------------------------------------------------------------


@dataclass
class ImportResult:
    parsed: ParsedFile
    problems: list[Problem]
    counts: Counts | None = None
    batch_pk: int | None = None
    dry_run: bool = False

    @property
    def loaded(self) -> bool:
        return self.counts is not None and not self.dry_run


def import_file(
    path: str | Path,
    *,
    la_code: str,
    worker=None,
    run_by: str = "",
    dry_run: bool = False,
    today: dt.date | None = None,
) -> ImportResult:
    """Read, check and (when nothing is wrong) load a CLD file, all or nothing; raise
    ``BadFile`` when it is not a CLD file. Audited (the caller sets the action context)."""
    from django.db import transaction
    from django.utils import timezone

    today = today or timezone.localdate()
    parsed = read_file(path, today)
    with transaction.atomic():
        p = plan(parsed, la_code, today)
        problems = sorted(p.problems, key=lambda pr: (pr.row, FIELD_ORDER.get(pr.field, 99)))
        if problems:
            result = ImportResult(parsed, problems)
        else:
            counts, batch_pk = load(p, worker, run_by)
            result = ImportResult(parsed, [], counts, batch_pk, dry_run)
            if not dry_run:
                _audit(result, worker, run_by)
            transaction.set_rollback(dry_run)
    if dry_run or problems:
        _audit(result, worker, run_by)
    return result


FIELD_ORDER = {name: i for i, name in enumerate(FIELD_NAMES)}


def _audit(result: ImportResult, worker, run_by: str) -> None:
    from carebridge.core import audit

    parsed = result.parsed
    if result.problems:
        outcome, summary = "refused", f"{len(result.problems)} problems; nothing loaded"
    elif result.dry_run:
        outcome, summary = "dry run", "checked only; nothing loaded"
    else:
        outcome, summary = "loaded", ""
    changes: dict[str, Any] = {
        "outcome": outcome,
        "file": parsed.name,
        "sha256": parsed.sha256,
        "rows": parsed.rows,
        "run_by": run_by,
    }
    if parsed.period:
        changes["period_start"], changes["period_end"] = (d.isoformat() for d in parsed.period)
    if result.counts is not None:
        changes["counts"] = result.counts.as_dict()
        c = result.counts
        summary = summary or (
            f"{c.people_created} people created, {c.events_created} events created, "
            f"{c.people_updated + c.events_updated} updated"
        )
    if result.problems:
        changes["problems"] = len(result.problems)
        changes["problems_by_rule"] = dict(Counter(pr.rule for pr in result.problems))
    if result.batch_pk and not result.dry_run:
        changes["import"] = result.batch_pk
    audit.record(
        worker,
        audit.Action.IMPORT,
        object_type="returns.cldimport",
        object_id=str(result.batch_pk or "") if not result.dry_run else "",
        summary=f"CLD file {parsed.name}: {summary}",
        changes=changes,
    )
