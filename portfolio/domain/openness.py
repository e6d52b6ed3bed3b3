"""The open portfolio (DESIGN §9): which fields of an initiative may be made public.

Only the fields listed here can ever be published; anything personal (idea-bearer, leader,
who recorded what) and costs per person are not in the list, so no setting can publish them.
"""

from __future__ import annotations

from enum import StrEnum


class PublicField(StrEnum):
    """A field of an initiative the admin may make public, named as the open API names it.

    Where the city's open innovation database has a name for the field, that name is used.
    """

    TITLE = "title"
    UNIT = "unit"
    KIND = "kind"
    STATUS = "status"  # the phase
    CHALLENGE = "challenge"  # the need or challenge it answers
    DESCRIPTION = "description"
    TARGET_GROUPS = "target_groups"
    TEST_PERIOD = "test_period"
    IMPACT_GOALS = "impact_goals"  # the effect goals
    STAGE_REACHED = "stage_reached"
    RESULTS = "results"  # the results summary
    LESSONS = "lessons"
    FUNDS_GRANTED = "funds_granted"  # the decided costs over the horizon (whole amounts, no persons)
    FUNDS_USED = "funds_used"  # spent to date


#: Public when the admin publishes an initiative and chooses nothing else.
DEFAULT_PUBLIC_FIELDS = frozenset({
    PublicField.TITLE, PublicField.UNIT, PublicField.STATUS, PublicField.IMPACT_GOALS,
    PublicField.STAGE_REACHED, PublicField.LESSONS,
})


def public_fields(chosen: list[str] | tuple[str, ...] | None) -> tuple[PublicField, ...]:
    """The fields to publish, in a fixed order; unknown names are ignored (never published)."""
    if chosen is None:
        return tuple(field for field in PublicField if field in DEFAULT_PUBLIC_FIELDS)
    names = set(chosen)
    return tuple(field for field in PublicField if field.value in names)
