import pytest

from families.reference import difficult_situation_grounds_ensure


@pytest.fixture(autouse=True)
def grounds(db):
    """The Social Code grounds a migration loads; transactional tests elsewhere truncate
    every table, so put them back for each test that needs them."""
    difficult_situation_grounds_ensure()
