"""Form fields whose numbers are parsed boundedly."""

from __future__ import annotations

from typing import Any

from wtforms import IntegerField

from quiz.inputs import DB_INT_MAX, bounded_int


class BoundedIntegerField(IntegerField):
    """WTForms' IntegerField, but a number beyond the database's INTEGER is refused as text is.

    IntegerField's int() takes any length up to 4,300 digits, and NumberRange then converts
    the number to a float to check it: past about 309 digits that raised OverflowError (a 500).
    """

    def process_formdata(self, valuelist: list[Any]) -> None:
        """Read the typed number; anything that is not one within INTEGER is an error."""
        if not valuelist:
            return
        self.data = bounded_int(valuelist[0], -DB_INT_MAX, DB_INT_MAX)
        if self.data is None:
            raise ValueError(self.gettext("Not a valid integer value."))
