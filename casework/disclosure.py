"""Statistical disclosure control: what aggregate figures analysts may see."""

SMALL_CELL = 5  # counts below this are not shown to analysts (re-identification)


def suppressed(value: int | None) -> str:
    """A count as an analyst may see it: small non-zero cells hidden."""
    if value is None:
        return "—"
    return f"<{SMALL_CELL}" if 0 < value < SMALL_CELL else str(value)
