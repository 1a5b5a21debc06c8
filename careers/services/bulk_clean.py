"""``Model.full_clean`` for a whole file of instances, with the constraints checked once per file.

``full_clean`` asks the database once per constraint per instance (``CheckConstraint.validate`` runs
``SELECT 1 WHERE <condition>`` with the row's values; ``UniqueConstraint.validate`` an ``EXISTS`` query), so a
10,000-row spreadsheet of vacancies with eight constraints costs 80,000 queries. :func:`bulk_full_clean` gives the
same errors, keyed and worded as ``full_clean`` would, in a fixed number of queries:

* ``clean_fields()`` and ``clean()`` per instance, as ``full_clean`` runs them (pure Python), except the foreign keys
  the caller names in ``resolved`` — the caller fetched those objects, so the existence query of
  ``ForeignKey.validate`` would only repeat it;
* ``validate_unique()`` only when the model has unique fields or ``unique_together`` besides the primary key;
* each ``CheckConstraint`` condition evaluated in Python with SQL's three-valued logic (NULL passes, as the
  ``Coalesce(condition, True)`` of ``Q.check``); a condition of lookups or expressions this module does not know falls
  back to the constraint's own ``validate()`` for that row;
* each ``UniqueConstraint`` over fields: one query per constraint per file reading the rows already holding the
  file's keys, then the file in order, as if each clean row had been written before the next was checked (a row
  taking a key that an earlier row of the file took, or that another existing row holds, is refused; an update
  moving its own row off a key frees it for the rows after it).

Fields that failed ``clean_fields``/``clean`` are left out of the constraint checks, as in ``full_clean``.

``name_fields=True`` files a constraint's error under the one field it is about — the only field a check
constraint reads, the only field of a unique constraint the caller did not resolve — instead of ``__all__``, so a
spreadsheet can name the column (``full_clean`` itself keys them so only for one-field unique constraints).
"""
from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Collection, Sequence
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import CheckConstraint, F, Model, Q, UniqueConstraint

MAX_IN = 900  # values per IN (…) list: well under SQLite's limit on query parameters

_COMPARE: dict[str, Callable] = {"exact": operator.eq, "gt": operator.gt, "gte": operator.ge, "lt": operator.lt,
                                 "lte": operator.le}
_PLAIN = (int, float, Decimal, str, bool, dt.date, dt.datetime, dt.time)


class Unsupported(Exception):
    """A condition this module cannot evaluate in Python: the constraint's own (database) check is used."""


def _value(instance: Model, name: str):
    field = instance._meta.get_field(name)
    if field.is_relation and not field.concrete or getattr(field, "many_to_many", False):
        raise Unsupported(name)
    return getattr(instance, field.attname)


def _side(instance: Model, value):
    if isinstance(value, F):
        if "__" in value.name:
            raise Unsupported(value.name)
        return _value(instance, value.name)
    if hasattr(value, "resolve_expression") or not (value is None or isinstance(value, _PLAIN)):
        raise Unsupported(repr(value))
    return value


def _lookup(instance: Model, key: str, rhs):
    name, _, lookup = key.partition("__")
    lookup = lookup or "exact"
    if "__" in lookup:
        raise Unsupported(key)
    lhs, rhs = _value(instance, name), _side(instance, rhs)
    if lookup == "isnull":
        return (lhs is None) == bool(rhs)
    if lookup == "exact" and rhs is None:  # Django turns ``field=None`` into IS NULL
        return lhs is None
    if lookup == "in":
        values = [_side(instance, v) for v in rhs]
        return None if lhs is None else lhs in values
    if lookup not in _COMPARE:
        raise Unsupported(key)
    if lhs is None or rhs is None:
        return None  # SQL NULL
    try:
        return _COMPARE[lookup](lhs, rhs)
    except TypeError:
        raise Unsupported(key) from None


def evaluate(condition: Q, instance: Model) -> bool | None:
    """``condition`` on ``instance`` with SQL's three-valued logic (None: NULL). Raises :class:`Unsupported`."""
    results = []
    for child in condition.children:
        if isinstance(child, Q):
            results.append(evaluate(child, instance))
        elif isinstance(child, tuple) and len(child) == 2:
            results.append(_lookup(instance, *child))
        else:
            raise Unsupported(repr(child))
    if condition.connector == Q.AND:
        value = False if False in results else (None if None in results else True)
    elif condition.connector == Q.OR:
        value = True if True in results else (None if None in results else False)
    else:
        raise Unsupported(condition.connector)
    if condition.negated:
        return None if value is None else not value
    return value


def _fields_of(condition: Q) -> set[str]:
    names = set()
    for child in condition.children:
        if isinstance(child, Q):
            names |= _fields_of(child)
        elif isinstance(child, tuple):
            names.add(child[0].split("__")[0])
            values = child[1] if isinstance(child[1], (list, tuple, set)) else [child[1]]
            names |= {v.name.split("__")[0] for v in values if isinstance(v, F)}
    return names


def _passes_check(constraint: CheckConstraint, model, instance: Model, exclude: set[str]) -> ValidationError | None:
    try:
        if _fields_of(constraint.condition) & exclude:
            return None  # as CheckConstraint.validate: a field left out makes the check a FieldError, skipped
        if evaluate(constraint.condition, instance) is not False:
            return None
        return ValidationError(constraint.get_violation_error_message(), code=constraint.violation_error_code)
    except Unsupported:
        try:
            constraint.validate(model, instance, exclude=exclude)
        except ValidationError as error:
            return error
        return None


def _has_other_unique_checks(model) -> bool:
    pk = model._meta.pk.name
    return any((field.unique and field.name != pk) or field.unique_for_date or field.unique_for_month
               or field.unique_for_year for field in model._meta.local_fields) or bool(model._meta.unique_together)


class _UniqueState:
    """The keys of one UniqueConstraint held by existing rows (read once) and taken by the file's rows so far."""

    def __init__(self, constraint: UniqueConstraint, model, instances: Sequence[Model]) -> None:
        self.constraint, self.model = constraint, model
        self.attnames = [model._meta.get_field(name).attname for name in constraint.fields]
        self.holders: dict[tuple, set] = {}  # key → pks of existing rows (or ("row", n) for rows of the file)
        self.key_of: dict = {}  # pk → its key, for the rows read
        first = {getattr(i, self.attnames[0]) for i in instances} - {None}
        rows = model._default_manager.all()
        if constraint.condition is not None:
            rows = rows.filter(constraint.condition)
        values = sorted(first, key=str)
        for start in range(0, len(values), MAX_IN):
            chunk = rows.filter(**{f"{self.attnames[0]}__in": values[start:start + MAX_IN]})
            for pk, *key in chunk.values_list("pk", *self.attnames):
                self.holders.setdefault(tuple(key), set()).add(pk)
                self.key_of[pk] = tuple(key)

    def applies(self, instance: Model, exclude: set[str]) -> tuple | None:
        """The instance's key, or None when the constraint does not bind it (a field left out, a NULL, the
        condition false)."""
        if set(self.constraint.fields) & exclude:
            return None
        key = tuple(getattr(instance, name) for name in self.attnames)
        if any(part is None for part in key):
            return None
        if self.constraint.condition is not None and evaluate(self.constraint.condition, instance) is not True:
            return None
        return key

    def error(self, instance: Model, key: tuple, pk) -> ValidationError | None:
        if not self.holders.get(key, set()) - {pk}:
            return None
        constraint = self.constraint
        if constraint.condition is None and constraint.violation_error_message == \
                constraint.default_violation_error_message:
            message = instance.unique_error_message(self.model, constraint.fields)
            return ValidationError(message, code=message.code)
        return ValidationError(constraint.get_violation_error_message(), code=constraint.violation_error_code)

    def take(self, key: tuple | None, pk) -> None:
        """A clean row is (as if) written: its pk leaves its old key and holds the new one."""
        old = self.key_of.pop(pk, None) if pk is not None else None
        if old is not None:
            self.holders.get(old, set()).discard(pk)
        if key is not None:
            self.holders.setdefault(key, set()).add(pk)
            if pk is not None:
                self.key_of[pk] = key


def _about(constraint, resolved: Collection[str]) -> str | None:
    """The one field a constraint is about (see ``name_fields``), or None."""
    if isinstance(constraint, CheckConstraint):
        fields = _fields_of(constraint.condition)
    else:
        fields = set(getattr(constraint, "fields", ())) - set(resolved)
    return next(iter(fields)) if len(fields) == 1 else None


def bulk_full_clean(instances: Sequence[Model], *, resolved: Collection[str] = (),
                    name_fields: bool = False) -> list[ValidationError | None]:
    """The ``full_clean()`` error of each instance (None when clean), in the order given (the file's order; see the
    module docstring). ``instances`` are of one model; new ones have no primary key yet."""
    if not instances:
        return []
    model = type(instances[0])
    constraints = [c for _, cs in instances[0].get_constraints() for c in cs]
    uniques = {c.name: _UniqueState(c, model, instances) for c in constraints
               if isinstance(c, UniqueConstraint) and c.fields and not c.expressions}
    other_unique = _has_other_unique_checks(model)
    out: list[ValidationError | None] = []
    for n, instance in enumerate(instances):
        errors: dict = {}
        try:
            instance.clean_fields(exclude=set(resolved))
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            instance.clean()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        exclude = {name for name in errors if name != NON_FIELD_ERRORS}
        if other_unique:
            try:
                instance.validate_unique(exclude=exclude)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
            exclude = {name for name in errors if name != NON_FIELD_ERRORS}
        pk = instance.pk if not instance._state.adding else None
        keys: dict[str, tuple | None] = {}
        for constraint in constraints:
            if constraint.name in uniques:
                state = uniques[constraint.name]
                try:
                    keys[constraint.name] = key = state.applies(instance, exclude)
                except Unsupported:
                    keys[constraint.name], key = None, None
                    found = _db_validate(constraint, model, instance, exclude)
                else:
                    found = None if key is None else state.error(instance, key, pk)
            elif isinstance(constraint, CheckConstraint):
                found = _passes_check(constraint, model, instance, exclude)
            else:
                found = _db_validate(constraint, model, instance, exclude)
            if found is None:
                continue
            about = _about(constraint, resolved) if name_fields else None
            if about is not None:
                errors.setdefault(about, []).append(found)
            elif getattr(found, "code", None) == "unique" and len(getattr(constraint, "fields", ())) == 1:
                errors.setdefault(constraint.fields[0], []).append(found)
            else:
                errors = found.update_error_dict(errors)
        if errors:
            out.append(ValidationError(errors))
            continue
        out.append(None)
        for name, state in uniques.items():
            state.take(keys.get(name), pk if pk is not None else ("row", n))
    return out


def _db_validate(constraint, model, instance: Model, exclude: set[str]) -> ValidationError | None:
    try:
        constraint.validate(model, instance, exclude=exclude)
    except ValidationError as error:
        return error
    return None
