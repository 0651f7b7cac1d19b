"""The groups factories build a valid pioneer post and group brand card."""

from tests.factories import GroupBrandFactory, PartyGroupFactory, PioneerPostFactory


def test_a_factory_post_and_brand_card_are_valid(org):
    post = PioneerPostFactory(branch=org.a1, created_by=org.users["secretary"])
    post.full_clean()
    assert post.member.branch == org.a1
    card = GroupBrandFactory(
        group=PartyGroupFactory(branch=org.a1), updated_by=org.users["secretary"]
    )
    card.full_clean()
