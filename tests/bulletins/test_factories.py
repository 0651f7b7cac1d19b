"""The bulletins factory builds a valid (not yet generated) bulletin of the province."""

from tests.factories import BulletinFactory


def test_a_factory_bulletin_is_valid(org):
    bulletin = BulletinFactory(scope=org.province)
    bulletin.full_clean()
    assert bulletin.month.day == 1
    assert not bulletin.xlsx
