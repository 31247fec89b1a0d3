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


KEY_DIGITS = 19  # a 64-bit key


class DateAndRef(Func):
    """``'YYYY-MM-DD|reference'`` from a date and a text reference (NULL when the date is).
    With ``key`` (an integer, such as the record's primary key), ``'YYYY-MM-DD|key|reference'``
    with the key zero-padded to 19 digits: the smallest such value (``Min``) is then the
    earliest record, the lowest key on a tie."""

    output_field = CharField()

    def __init__(self, date, ref, key=None, **extra):
        super().__init__(*(e for e in (date, ref, key) if e is not None), **extra)
        self.keyed = key is not None

    def _parts(self, compiler):
        return [compiler.compile(e) for e in self.source_expressions]

    def as_sql(self, compiler, connection, **extra):  # PostgreSQL: ISO whatever the DateStyle
        (date, p1), (ref, p2), *key = self._parts(compiler)
        middle = f"lpad(({key[0][0]})::text, {KEY_DIGITS}, '0') || '|' || " if key else ""
        sql = f"(to_char({date}, 'YYYY-MM-DD') || '|' || {middle}COALESCE(({ref})::text, ''))"
        return sql, (*p1, *(key[0][1] if key else ()), *p2)

    def as_sqlite(self, compiler, connection, **extra):  # dates are ISO text already
        (date, p1), (ref, p2), *key = self._parts(compiler)
        zeros = "0" * KEY_DIGITS
        middle = f"substr('{zeros}' || ({key[0][0]}), -{KEY_DIGITS}) || '|' || " if key else ""
        sql = f"({date} || '|' || {middle}COALESCE(CAST({ref} AS text), ''))"
        return sql, (*p1, *(key[0][1] if key else ()), *p2)


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
    """The reference from a :class:`DateAndRef` value (NULL for NULL); ``keyed`` if it was
    made with a key."""

    output_field = CharField()

    def __init__(self, expression, keyed: bool = False, **extra):
        super().__init__(expression, **extra)
        self.start = 12 + (KEY_DIGITS + 1 if keyed else 0)

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"substr({sql}, {self.start})", params
