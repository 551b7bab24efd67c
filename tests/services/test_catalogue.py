"""The catalogue as a manager keeps it: prices, floors, costs and tax rates checked field
by field, imported from a spreadsheet, and converted for a quote in another currency;
and ``funneldesk quote list --json`` as scripts read it."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from funneldesk.cli import main
from funneldesk.errors import InvalidFields, NotAllowed, StaleEdit
from funneldesk.services import Services
from funneldesk.services.dto import Actor
from funneldesk.services.quotes.records import ProductDraft
from tests.helpers import make_deal, snapshot
from tests.services.quote_helpers import catalogue, content


def test_a_manager_adds_and_edits_a_product_and_bad_values_are_named_by_field(
        services: Services, manager: Actor, rep: Actor, db_path: Path) -> None:
    item = services.catalogue.add(ProductDraft(" 服务器 ", "SRV", "Server", "台",
                                               list_price=Decimal(50000),
                                               floor_price=Decimal(42000), cost=Decimal(35000)),
                                  by=manager)
    assert (item.name, item.currency, item.tax_rate) == ("服务器", "USD", Decimal(13))
    before = snapshot(db_path)
    with pytest.raises(NotAllowed):
        services.catalogue.add(ProductDraft("Laptop"), by=rep)
    with pytest.raises(InvalidFields) as refused:
        services.catalogue.update(item.id, ProductDraft(
            "服务器", list_price=Decimal(100), floor_price=Decimal(200),
            cost=Decimal("-1"), tax_rate=Decimal(113), currency="XX"),
            expected_version=item.version, by=manager)
    assert {p.field for p in refused.value.problems} == {"floor_price", "cost", "tax_rate",
                                                         "currency"}
    assert snapshot(db_path) == before
    saved, _changes = services.catalogue.update(item.id, ProductDraft(
        "服务器", "SRV", "Server", "台", list_price=Decimal(48000), floor_price=Decimal(42000),
        tax_rate=Decimal(13)), expected_version=item.version, by=manager)
    assert (saved.list_price, saved.cost, saved.version) == (Decimal(48000), None, 2)
    with pytest.raises(StaleEdit):
        services.catalogue.update(item.id, ProductDraft("服务器"),
                                  expected_version=item.version, by=manager)


def test_products_import_with_prices_tax_rates_and_state(
        services: Services, manager: Actor, tmp_path: Path, db_path: Path) -> None:
    path = tmp_path / "products.csv"
    path.write_text("产品名称,编码,单位,标准价,底价,成本,税率,状态\n"
                    "CRM 企业版,CRM-E,套,\"¥12,000\",9000,3000,13%,在售\n"
                    "实施服务,SVC,人天,2500,1800,1200,0.06,在售\n"
                    "旧版许可,OLD,套,100,200,,13,停售\n", encoding="utf-8")
    assert main(["--db", str(db_path), "import", "products", str(path),
                 "--skip-bad-rows"]) == 0
    items = {i.code: i for i in services.catalogue.items(inactive=True)}
    assert set(items) == {"CRM-E", "SVC"}  # the floor above the list price is refused
    crm, service = items["CRM-E"], items["SVC"]
    assert (crm.list_price, crm.floor_price, crm.cost, crm.tax_rate, crm.unit) == (
        Decimal(12000), Decimal(9000), Decimal(3000), Decimal(13), "套")
    assert service.tax_rate == Decimal(6)


def test_a_quote_in_another_currency_gets_the_catalogue_converted_or_refuses_the_product(
        services: Services, manager: Actor) -> None:
    catalogue(services, manager)  # priced in USD, the base currency
    assert services.quotes.catalogue("SEK") == {}  # no rate for SEK: nothing to quote
    services.rates.set_rate(currency="SEK", rate=Decimal("1.25"), by=manager)
    licence = next(i for i in services.quotes.catalogue("SEK").values() if i.code == "LIC-1")
    assert (licence.currency, licence.list_price, licence.floor_price) == (
        "SEK", Decimal(800), Decimal(640))


def test_quote_list_json_gives_states_options_and_money_as_strings(
        services: Services, manager: Actor, rep: Actor, db_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    products = catalogue(services, manager)
    deal = make_deal(services, rep)
    quote = services.quotes.create(deal.id, content(products), by=rep).quote
    services.quotes.send(quote.id, expected_version=quote.version, by=rep)
    assert main(["--db", str(db_path), "quote", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["quotes"]
    assert len(listed) == 1
    row = listed[0]
    assert (row["number"], row["state"], row["state_label"], row["revision"]) == (
        quote.number, "sent", "Sent", 1)
    assert row["deal"] == {"id": deal.id, "title": "Warehouse system"}
    assert row["currency"] == "USD"
    assert row["options"] == [{"name": "Standard", "total": "11300.00"},
                              {"name": "Premium", "total": "33200.00"}]
    assert row["valid_until"] == quote.revision.terms.valid_until.isoformat()
    assert main(["--db", str(db_path), "quote", "pdf", "77", "-o", "x.pdf"]) == 1
    assert "Quote #77 no longer exists" in capsys.readouterr().err


def test_the_sample_has_a_priced_catalogue_and_quotes_in_every_state(
        services: Services, manager: Actor) -> None:
    from funneldesk.enums import ApprovalState

    services.demo.generate(deals=300, seed=3, by=manager)
    items = services.catalogue.items()
    assert items
    assert all(i.list_price > 0 and i.floor_price is not None and i.cost is not None
               for i in items)
    quotes = services.quotes.all()
    assert {q.state_code for q in quotes} == {"draft", "sent", "accepted", "rejected",
                                              "expired"}
    assert {q.approval for q in quotes} >= {ApprovalState.REQUESTED, ApprovalState.APPROVED}
    assert any(q.revision == 2 and not q.revision_sent for q in quotes)  # negotiating
    assert any(q.revision == 2 and q.revision_sent for q in quotes)
    # what the sample sent below its floor, a manager approved first
    for summary in quotes:
        quote = services.quotes.get(summary.id)
        for number in quote.revisions:
            revision = services.quotes.get(summary.id, number).revision
            if revision.sent:
                assert revision.cleared, (quote.number, number)
    accepted = next(q for q in quotes if q.state_code == "accepted")
    assert accepted.accepted_option in {o.name for o in accepted.options}
