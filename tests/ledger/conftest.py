import pytest

from tests.factories import MemberFactory, PartyGroupFactory


class Roster:
    """Branch A1 with two groups (three members, Li leads group 1) and one member in the
    sibling city's branch B1 — the data a wrong scope would leak."""

    def __init__(self, org):
        self.g1 = PartyGroupFactory(branch=org.a1, name="运维一组")
        self.g2 = PartyGroupFactory(branch=org.a1, name="运维二组")
        self.li = MemberFactory(
            branch=org.a1, party_group=self.g1, name="李明", phone="13812341234"
        )
        self.wang = MemberFactory(
            branch=org.a1, party_group=self.g1, name="王芳", phone="13955556666"
        )
        self.zhao = MemberFactory(
            branch=org.a1,
            party_group=self.g2,
            name="赵强",
            status="probationary",
            full_member_on=None,
            phone="13700001111",
        )
        self.g1.leader, self.g1.leader_elected_on = self.li, self.li.joined_on.replace(year=2020)
        self.g1.save()
        self.b_group = PartyGroupFactory(branch=org.b1, name="乙市一组")
        self.sun = MemberFactory(
            branch=org.b1, party_group=self.b_group, name="孙乙", phone="13622223333"
        )


@pytest.fixture
def roster(org):
    return Roster(org)
