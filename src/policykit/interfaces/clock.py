"""The one clock of the project, read only at the edges (the command line, the HTTP service, the
site build): the current instant, which the policy reads as a date in its own time zone
(``Policy.today``), so every evaluator switches to a new version at midnight in the district.

Two variables let the whole project run at another moment: ``POLICYKIT_NOW``, an instant written
ISO 8601 with its UTC offset (``2027-08-31T23:30:00-04:00``), and ``POLICYKIT_TODAY``, a date
(``2027-08-31``), taken as the policy's date whatever its time zone. ``POLICYKIT_NOW`` wins when
both are set."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date, datetime, timezone


class ClockError(ValueError):
    """``POLICYKIT_NOW`` or ``POLICYKIT_TODAY`` is set to something that is not an instant or a date."""


def now(environ: Mapping[str, str] | None = None) -> date:
    """What the clock reads: an aware ``datetime`` (the current instant, or ``POLICYKIT_NOW``), or a
    plain ``date`` when ``POLICYKIT_TODAY`` pins the day. Either is what ``load_policy(today=...)``
    takes: the policy reads an instant in its time zone. Raises ``ClockError`` for a malformed pin."""
    env = os.environ if environ is None else environ
    instant = env.get("POLICYKIT_NOW")
    if instant:
        try:
            reading = datetime.fromisoformat(instant)
        except ValueError:
            reading = None
        if reading is None or reading.utcoffset() is None:
            raise ClockError(f"POLICYKIT_NOW='{instant}' is not an instant written YYYY-MM-DDTHH:MM:SS with its UTC "
                             "offset (for example 2027-08-31T23:30:00-04:00)")
        return reading
    pinned = env.get("POLICYKIT_TODAY")
    if pinned:
        try:
            return date.fromisoformat(pinned)
        except ValueError:
            raise ClockError(f"POLICYKIT_TODAY='{pinned}' is not a date written YYYY-MM-DD") from None
    return datetime.now(timezone.utc)
