"""The working-day calendar in the database, so due dates in working days are computed in SQL
(the duties engine: the N-th working day after D is the working day whose running count is D's
count + N). Filled from :mod:`carebridge.rules.working_days` (the one home of bank holidays) by
:func:`carebridge.core.calendar.ensure`."""

from django.db import models


class CalendarDay(models.Model):
    day = models.DateField(primary_key=True)
    working = models.BooleanField()
    # Working days from the first day of the calendar up to and including this one.
    working_count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["working_count"],
                condition=models.Q(working=True),
                name="one_working_day_per_count",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} ({'working day' if self.working else 'not a working day'})"
