"""Pagination for lists that reach tens of thousands of rows in one district.

Counting every police notice of a large district costs more than the rest of the page
(200 ms for 73,000 rows at national scale), and nobody pages to the 2,000th page: they
filter. So lists count up to LIST_COUNT_LIMIT rows and, beyond it, say "more than" and
offer the pages up to there.
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.utils.functional import cached_property


class BoundedPaginator(Paginator):
    @cached_property
    def limit(self) -> int:
        return settings.LIST_COUNT_LIMIT

    @cached_property
    def count(self) -> int:
        """Rows up to the limit; limit + 1 means "more than the limit"."""
        rows = self.object_list[: self.limit + 1]
        return rows.count() if hasattr(rows, "query") else len(rows)

    @property
    def capped(self) -> bool:
        return self.count > self.limit
