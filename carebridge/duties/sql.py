"""Date arithmetic in SQL, the same on SQLite and PostgreSQL, for duty due dates.

Months follow :func:`carebridge.rules.dates.add_months`: a month after 31 January is the last
day of February, and 12 months after 29 February is 28 February (PostgreSQL's interval
arithmetic does this; SQLite's ``date(x, '+1 months')`` overflows into March, so on SQLite the
day is clamped explicitly). tests/duties/test_sql_dates.py checks both databases against the
Python rule, with hypothesis.
"""

from __future__ import annotations

from django.db.models import CharField, DateField, Func


class _DateShift(Func):
    """A date moved by a whole number of units, the number a literal int (periods are code or
    council settings, never request input)."""

    output_field = DateField()

    def __init__(self, expression, n: int, **extra):
        if not isinstance(n, int) or isinstance(n, bool):
            raise TypeError("the shift must be an int")
        self.n = n
        super().__init__(expression, **extra)


class AddDays(_DateShift):
    """``date + n`` calendar days."""

    def as_sql(self, compiler, connection, **extra):  # PostgreSQL: date + integer is a date
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql} + {self.n})", params

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"date({sql}, '{self.n:+d} days')", params


class AddMonths(_DateShift):
    """``date + n`` months, clamped to the end of a shorter month."""

    def as_sql(self, compiler, connection, **extra):  # PostgreSQL clamps by itself
        sql, params = compiler.compile(self.source_expressions[0])
        return f"CAST({sql} + INTERVAL '{self.n} months' AS date)", params

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        n = self.n
        # If adding n months moved the day of the month, the target month is shorter: take its
        # last day instead (start of the month, n + 1 months on, one day back).
        template = (
            f"(CASE WHEN strftime('%%d', date({sql}, '{n:+d} months')) = strftime('%%d', {sql})"
            f" THEN date({sql}, '{n:+d} months')"
            f" ELSE date({sql}, 'start of month', '{n + 1:+d} months', '-1 day') END)"
        )
        return template, tuple(params) * 4


class AddWorkingDays(_DateShift):
    """The n-th working day after a date (the date itself not counted), read from the
    working-day calendar table (``core.CalendarDay``, filled from
    :mod:`carebridge.rules.working_days`): the working day whose running count is the date's
    count + n. NULL for a date outside the calendar (1990 to 2079)."""

    def as_sql(self, compiler, connection, **extra):
        from carebridge.core.models import CalendarDay

        sql, params = compiler.compile(self.source_expressions[0])
        table = connection.ops.quote_name(CalendarDay._meta.db_table)
        true = "1" if connection.vendor == "sqlite" else "TRUE"
        if self.n == 0:
            return f"({sql})", params
        # The table name is the model's, the shift a literal int and the date compiled SQL
        # with its parameters: nothing here comes from input.
        return (
            f"(SELECT due.day FROM {table} due WHERE due.working = {true} AND "  # noqa: S608
            f"due.working_count = (SELECT start.working_count FROM {table} start "
            f"WHERE start.day = {sql}) + {self.n})",
            params,
        )


# --- a record's date and reference as one value ------------------------------------------
#
# The engine finds "the first record that met the clock" (or the latest review) with a
# correlated lookup per row. Asking it twice, once for the date and once for the reference,
# doubles the cost of the whole statement; asked once, the lookup returns both as one text
# value, 'YYYY-MM-DD|reference', which the next stage takes apart.


class DateAndRef(Func):
    """``'YYYY-MM-DD|reference'`` from a date and a text reference (NULL when the date is)."""

    output_field = CharField()

    def as_sql(self, compiler, connection, **extra):  # PostgreSQL: ISO whatever the DateStyle
        date, date_params = compiler.compile(self.source_expressions[0])
        ref, ref_params = compiler.compile(self.source_expressions[1])
        return (
            f"(to_char({date}, 'YYYY-MM-DD') || '|' || COALESCE(({ref})::text, ''))",
            (*date_params, *ref_params),
        )

    def as_sqlite(self, compiler, connection, **extra):  # dates are ISO text already
        date, date_params = compiler.compile(self.source_expressions[0])
        ref, ref_params = compiler.compile(self.source_expressions[1])
        return (
            f"({date} || '|' || COALESCE(CAST({ref} AS text), ''))",
            (*date_params, *ref_params),
        )


class DateOf(Func):
    """The date from a :class:`DateAndRef` value (NULL for NULL)."""

    output_field = DateField()

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"CAST(substr({sql}, 1, 10) AS date)", params

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"substr({sql}, 1, 10)", params


class RefOf(Func):
    """The reference from a :class:`DateAndRef` value (NULL for NULL)."""

    output_field = CharField()

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"substr({sql}, 12)", params
