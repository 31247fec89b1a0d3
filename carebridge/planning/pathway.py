"""Each person's next statutory step, for caseloads and the person's page.

The facts of each case (latest request and assessment dates, draft assessments, eligible
determinations without a plan, plans in progress, the approved plan's next review) are read in
ONE query for any number of people, then the pure rule
:func:`carebridge.rules.pathway.next_step` runs on each.

The query is written as SQL rather than built with the ORM: it is the same on SQLite and
PostgreSQL, and building and compiling eight correlated subqueries through the ORM cost more
than running them (about 5 ms a page, measured in ``bench/bench_pages.py``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

from carebridge.assessments.models import Assessment, EligibilityDetermination
from carebridge.casework.models import Event
from carebridge.core.dbvalues import date_from_db
from carebridge.rules import cld, pathway

from .models import CarePlan

_IN_PROGRESS = (CarePlan.Status.DRAFT, CarePlan.Status.RETURNED, CarePlan.Status.SUBMITTED)

_SQL = """
SELECT x.id,
  (SELECT e.start_date FROM {event} e
    WHERE e.person_id = x.id AND e.event_type = %s AND e.cancelled = %s
      AND (e.end_date IS NULL OR e.outcome = %s)
    ORDER BY e.start_date DESC, e.id DESC LIMIT 1),
  (SELECT e.start_date FROM {event} e
    WHERE e.person_id = x.id AND e.event_type = %s AND e.cancelled = %s
    ORDER BY e.start_date DESC, e.id DESC LIMIT 1),
  (SELECT a.started_on FROM {assessment} a
    WHERE a.person_id = x.id AND a.status = %s ORDER BY a.started_on, a.id LIMIT 1),
  (SELECT d.determined_on FROM {determination} d
    WHERE d.person_id = x.id AND d.eligible = %s
      AND NOT EXISTS (SELECT 1 FROM {plan} p WHERE p.assessment_id = d.assessment_id)
    ORDER BY d.determined_on DESC, d.id DESC LIMIT 1),
  (SELECT p.status FROM {plan} p
    WHERE p.person_id = x.id AND p.status IN (%s, %s, %s)
    ORDER BY p.created_at DESC, p.id DESC LIMIT 1),
  (SELECT p.updated_at FROM {plan} p
    WHERE p.person_id = x.id AND p.status IN (%s, %s, %s)
    ORDER BY p.created_at DESC, p.id DESC LIMIT 1),
  (SELECT p.next_review_due FROM {plan} p
    WHERE p.person_id = x.id AND p.status = %s LIMIT 1),
  (SELECT p.next_review_kind FROM {plan} p
    WHERE p.person_id = x.id AND p.status = %s LIMIT 1)
FROM {person} x
WHERE x.id IN ({ids})
"""


def _sql(n: int) -> str:
    from carebridge.people.models import Person

    return _SQL.format(
        event=Event._meta.db_table,
        assessment=Assessment._meta.db_table,
        determination=EligibilityDetermination._meta.db_table,
        plan=CarePlan._meta.db_table,
        person=Person._meta.db_table,
        ids=", ".join(["%s"] * n),
    )


def _params(person_ids: list[int]) -> list:
    return [
        cld.REQUEST, False, cld.OUTCOME_TO_ASSESSMENT,
        cld.ASSESSMENT, False,
        Assessment.Status.DRAFT,
        True,
        *_IN_PROGRESS,
        *_IN_PROGRESS,
        CarePlan.Status.APPROVED,
        CarePlan.Status.APPROVED,
        *person_ids,
    ]  # fmt: skip


def case_facts(person_ids: Iterable[int]) -> dict[int, pathway.CaseFacts]:
    """person id -> the facts of their case, in one query."""
    ids = sorted(set(person_ids))
    if not ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(_sql(len(ids)), _params(ids))
        rows = cursor.fetchall()
    facts = {}
    for pid, request, assessed, draft, eligible, status, since, due, kind in rows:
        request, assessed, since = (date_from_db(v) for v in (request, assessed, since))
        facts[pid] = pathway.CaseFacts(
            request_awaiting_assessment_since=(
                request
                if request is not None and (assessed is None or assessed < request)
                else None
            ),
            draft_assessment_started=date_from_db(draft),
            eligible_without_plan_since=date_from_db(eligible),
            plan_in_progress_since=(
                since if status in (CarePlan.Status.DRAFT, CarePlan.Status.RETURNED) else None
            ),
            plan_returned=status == CarePlan.Status.RETURNED,
            plan_submitted_on=since if status == CarePlan.Status.SUBMITTED else None,
            next_review_due=date_from_db(due),
            next_review_kind=kind or "",
        )
    return facts


def step_for(facts: pathway.CaseFacts | None) -> pathway.Step:
    return pathway.next_step(facts or pathway.CaseFacts())


def attach_steps(rows) -> list:
    """Set ``row.next_step`` on each caseload row (an allocation), in one query."""
    rows = list(rows)
    facts = case_facts(r.person_id for r in rows)
    for row in rows:
        row.next_step = pathway.next_step(facts.get(row.person_id, pathway.CaseFacts()))
    return rows


# ``eligible`` is the determination's result (NULL while there is none).
_ASSESSMENTS_SQL = """
SELECT a.id, a.person_id, a.kind, a.status, a.started_on, a.completed_on, d.eligible AS eligible
FROM {assessment} a LEFT JOIN {determination} d ON d.assessment_id = a.id
WHERE a.person_id = %s ORDER BY a.started_on DESC, a.id DESC LIMIT 10
"""
_PLANS_SQL = """
SELECT id, person_id, status, next_review_due, approved_on, created_at FROM {plan}
WHERE person_id = %s ORDER BY created_at DESC, id DESC LIMIT 10
"""


def for_person(person) -> dict:
    """The Care Act pathway box on the person's page: assessments, plans and the next step
    (three queries)."""
    # Plain SQL through Model.objects.raw() (model instances with the ORM's field conversions):
    # only the columns the box shows, as assessments' and plans' answers are large JSON
    # documents, and the person's page is the busiest page (bench/bench_pages.py).
    assessments = list(
        Assessment.objects.raw(
            _ASSESSMENTS_SQL.format(
                assessment=Assessment._meta.db_table,
                determination=EligibilityDetermination._meta.db_table,
            ),
            [person.pk],
        )
    )
    plans = list(CarePlan.objects.raw(_PLANS_SQL.format(plan=CarePlan._meta.db_table), [person.pk]))
    step = pathway.next_step(case_facts([person.pk]).get(person.pk, pathway.CaseFacts()))
    return {"assessments": assessments, "plans": plans, "next_step": step}
