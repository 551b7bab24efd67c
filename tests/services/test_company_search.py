"""Finding a company by any part of its name, Chinese included, in a short list."""

from __future__ import annotations

from funneldesk.services import Services
from funneldesk.services.dto import Actor


def test_search_finds_substrings_of_one_or_two_chinese_characters_and_any_case(
        services: Services, manager: Actor, db) -> None:  # type: ignore[no-untyped-def]
    from funneldesk.models import Company
    from funneldesk.models.base import utcnow

    for name in ("北京星辰科技有限公司", "星辰物流", "上海恒通物流有限公司", "Acme 100% Corp",
                 "acme_tools", "Beacon"):
        services.customers.create_company(name=name, by=manager)
    deleted = services.customers.create_company(name="星辰旧公司", by=manager)
    with db.session() as session:
        session.get(Company, deleted.id).deleted_at = utcnow()

    def names(text: str) -> list[str]:
        return [c.name for c in services.customers.search_companies(text)]

    assert names("星辰") == ["星辰物流", "北京星辰科技有限公司"]  # names that start with it first
    assert names("辰") == ["北京星辰科技有限公司", "星辰物流"]
    assert names("物流") == ["上海恒通物流有限公司", "星辰物流"]
    assert names("ACME") == ["Acme 100% Corp", "acme_tools"]
    assert names("%") == ["Acme 100% Corp"]  # typed literally, not a wildcard
    assert names("e_t") == ["acme_tools"]
    assert names("  ") == names("")
    assert names("无此公司") == []
    assert services.customers.company(deleted.id).name == "星辰旧公司"  # a deal may still name it


def test_search_returns_a_limited_list_out_of_thousands(
        services: Services, manager: Actor, db) -> None:  # type: ignore[no-untyped-def]
    from funneldesk.models import Company

    with db.session() as session:
        session.add_all([Company(name=f"公司{i:04d}", created_by_id=manager.id)
                         for i in range(2500)])
    found = services.customers.search_companies("公司", limit=20)
    assert [c.name for c in found] == [f"公司{i:04d}" for i in range(20)]
    assert [c.name for c in services.customers.search_companies("2499")] == ["公司2499"]
    assert services.customers.company(found[3].id).name == "公司0003"
