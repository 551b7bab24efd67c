"""A contract's PDF as a customer and a courier see it: Chinese text that is really there
(extractable, in the embedded font), numbered clauses, "第 X 页 共 Y 页" right on every
page, the confidential watermark, and AES-256 encryption that opens only with the right
password; a placeholder nothing fills stops the PDF instead of leaving a blank."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from funneldesk.enums import Confidentiality
from funneldesk.errors import InvalidInput
from funneldesk.reports.contract_pdf import clause_number
from funneldesk.reports.quote_document import Letterhead
from funneldesk.services import Services
from funneldesk.services.contracts.contracts import PasswordNeeded
from funneldesk.services.contracts.records import ContractView
from funneldesk.services.dto import Actor
from tests.services.contract_helpers import contract


def chinese(services: Services, manager: Actor, rep: Actor, *, clauses: int = 0,
            confidential: bool = False) -> ContractView:
    services.letterhead.set_letterhead(Letterhead(name="星辰软件有限公司", address="上海市浦东新区",
                                                  tax_number="91310000MA1FL0001X"), by=manager)
    view = contract(services, manager, rep)
    extra = "".join(f"\n\n补充条款{n}\n甲方与乙方就第{n}项事宜约定如下：" + "双方应诚信履约。" * 30
                    for n in range(clauses))
    content = replace(view.content, language="zh_CN",
                      terms=services.contract_settings.settings().templates["zh_CN"] + extra,
                      confidentiality=Confidentiality.CONFIDENTIAL if confidential
                      else Confidentiality.NORMAL)
    return services.contracts.save(view.id, content, expected_version=view.version,
                                   by=rep).contract


def pages(data: bytes, password: str | None = None) -> list[str]:
    reader = PdfReader(io.BytesIO(data))
    if password is not None:
        reader.decrypt(password)
    return [page.extract_text() for page in reader.pages]


def test_chinese_text_is_extractable_and_clauses_are_numbered(
        services: Services, manager: Actor, rep: Actor) -> None:
    view = chinese(services, manager, rep)
    text = "\n".join(pages(services.contracts.pdf(view.id, viewer=rep)))
    for expected in ("销售合同", "甲方", "乙方", "星辰软件有限公司", "第一条", "第二条",
                     "付款计划", "争议解决", "授权代表", "盖章", view.summary.number,
                     "33,200.00"):
        assert expected in text, expected
    # the template's placeholders are filled: none is left as typed
    assert "{customer}" not in text
    assert "{amount}" not in text


def test_page_numbers_count_every_page(services: Services, manager: Actor,
                                       rep: Actor) -> None:
    view = chinese(services, manager, rep, clauses=20)
    texts = pages(services.contracts.pdf(view.id, viewer=rep))
    assert len(texts) >= 4
    for number, text in enumerate(texts, 1):
        assert f"第 {number} 页 共 {len(texts)} 页" in text


def test_english_contract_says_page_x_of_y(services: Services, manager: Actor,
                                           rep: Actor) -> None:
    view = contract(services, manager, rep)
    texts = pages(services.contracts.pdf(view.id, viewer=rep))
    assert f"Page 1 of {len(texts)}" in texts[0]
    assert "Sales Contract" in texts[0]
    assert "1. Products and prices" in "\n".join(texts)


def test_a_confidential_pdf_is_watermarked_and_opens_only_with_its_password(
        services: Services, manager: Actor, rep: Actor) -> None:
    view = chinese(services, manager, rep, confidential=True)
    first = pages(services.contracts.pdf(view.id, viewer=rep))[0]
    assert "机密" in first
    assert "草稿" in first  # a confidential draft is still marked a draft
    data = services.contracts.pdf_to_save(view.id, viewer=rep, password="正确的密码 42")
    assert b"/Encrypt" in data
    reader = PdfReader(io.BytesIO(data))
    assert reader.is_encrypted
    assert reader.decrypt("wrong password") == 0
    assert "星辰软件有限公司" in pages(data, "正确的密码 42")[0]
    assert "/AESV3" in str(reader.trailer["/Encrypt"].get_object().get("/CF"))


def test_a_confidential_contract_without_a_password_is_not_written_plain(
        services: Services, manager: Actor, rep: Actor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from funneldesk import secrets

    monkeypatch.setattr(secrets, "read", lambda key: "")
    view = chinese(services, manager, rep, confidential=True)
    with pytest.raises(PasswordNeeded, match="confidential"):
        services.contracts.pdf_to_save(view.id, viewer=rep)
    kept: dict[str, str] = {}
    monkeypatch.setattr(secrets, "store", kept.__setitem__)
    monkeypatch.setattr(secrets, "read", lambda key: kept.get(key, ""))
    services.contracts.keep_password(view.id, "钥匙串里的密码", viewer=rep)
    data = services.contracts.pdf_to_save(view.id, viewer=rep)
    assert PdfReader(io.BytesIO(data)).is_encrypted
    assert view.summary.number in "\n".join(pages(data, "钥匙串里的密码"))


def test_a_normal_contract_is_saved_plain_unless_a_password_is_given(
        services: Services, manager: Actor, rep: Actor) -> None:
    view = contract(services, manager, rep)
    assert not PdfReader(io.BytesIO(services.contracts.pdf_to_save(
        view.id, viewer=rep))).is_encrypted
    assert PdfReader(io.BytesIO(services.contracts.pdf_to_save(
        view.id, viewer=rep, password="pw"))).is_encrypted


def test_a_draft_carries_the_draft_mark(services: Services, manager: Actor,
                                        rep: Actor) -> None:
    view = chinese(services, manager, rep)
    assert "草稿" in pages(services.contracts.pdf(view.id, viewer=rep))[0]
    # cancelled, it prints as void, never as a contract one could sign, and as it was left
    # (a gap said as missing, as in a draft)
    view = services.contracts.save(view.id, replace(view.content, acceptance_terms=""),
                                   expected_version=view.version, by=rep).contract
    services.contracts.cancel(view.id, "客户要求重签", expected_version=view.version, by=manager)
    first = pages(services.contracts.pdf(view.id, viewer=rep))[0]
    assert "已作废" in first
    assert "草稿" not in first


def test_clause_numbers_in_chinese() -> None:
    assert [clause_number(n, "zh_CN") for n in (1, 9, 10, 11, 20, 23)] == [
        "第一条", "第九条", "第十条", "第十一条", "第二十条", "第二十三条"]
    assert clause_number(3, "en") == "3."


def test_filling_refuses_an_unknown_placeholder_and_writes_escaped_braces() -> None:
    from funneldesk.services.contracts import templates

    with pytest.raises(InvalidInput, match=r"\{客户名称\}"):
        templates.fill("甲方：{客户名称}", {})
    assert templates.fill("{{customer}} is {customer}", {"customer": "星辰"}) == \
        "{customer} is 星辰"
    # braces a Chinese input method types are braces too: filled, or refused when unknown
    assert templates.fill("甲方：｛customer｝", {"customer": "星辰"}) == "甲方：星辰"
    with pytest.raises(InvalidInput, match="客户名称"):
        templates.fill("甲方：｛客户名称｝", {})


def test_the_command_lists_contracts_as_json_and_writes_only_encrypted_files(
        services: Services, manager: Actor, rep: Actor, db_path: Path,
        tmp_path: Path) -> None:
    from tests.test_cli import run

    view = chinese(services, manager, rep, confidential=True)
    listed = run("--db", str(db_path), "contract", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    (entry,) = json.loads(listed.stdout)["contracts"]
    assert {k: entry[k] for k in ("id", "number", "state", "confidentiality", "amount",
                                  "currency", "signed_on", "customer")} == {
        "id": view.id, "number": view.summary.number, "state": "draft",
        "confidentiality": "confidential", "amount": "33200.00", "currency": "USD",
        "signed_on": None, "customer": "Northwind Traders"}
    assert entry["deal"] == {"id": view.summary.deal_id, "title": "Warehouse system"}
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "contract.pdf"
    # no password given and none kept: refused in one line, and nothing written
    refused = run("--db", str(db_path), "contract", "pdf", str(view.id), "-o", str(out),
                  env={"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"})
    assert refused.returncode == 1
    assert "confidential" in refused.stderr
    assert refused.stderr.count("\n") == 1
    assert list(folder.iterdir()) == []
    written = subprocess.run(
        [sys.executable, "-m", "funneldesk", "--db", str(db_path), "contract", "pdf",
         str(view.id), "-o", str(out), "--password-stdin"],
        input="s3cret 密码\nignored\n", capture_output=True, text=True, timeout=120)
    assert written.returncode == 0, written.stderr
    assert [p.name for p in folder.iterdir()] == ["contract.pdf"]
    reader = PdfReader(out)
    assert reader.is_encrypted
    assert reader.decrypt("ignored") == 0
    assert "销售合同" in pages(out.read_bytes(), "s3cret 密码")[0]


def test_a_placeholder_with_no_value_shows_in_a_draft_and_stops_the_review(
        services: Services, manager: Actor, rep: Actor) -> None:
    from funneldesk.enums import ContractState

    view = contract(services, manager, rep)
    view = services.contracts.save(view.id, replace(view.content, warranty_terms="",
                                                    acceptance_terms=""),
                                   expected_version=view.version, by=rep).contract
    text = "\n".join(pages(services.contracts.pdf(view.id, viewer=rep)))
    assert "[missing: warranty]" in text
    # every one at once, said under the first field that fills one
    with pytest.raises(InvalidInput, match=r"\{acceptance\}, \{warranty\}") as refused:
        services.contracts.advance(view.id, ContractState.IN_REVIEW,
                                   expected_version=view.version, by=rep)
    assert refused.value.field == "acceptance_terms"
    assert services.contracts.get(view.id, viewer=rep).state is ContractState.DRAFT


def test_placeholders_in_the_delivery_terms_are_filled_too(
        services: Services, manager: Actor, rep: Actor) -> None:
    view = chinese(services, manager, rep)
    view = services.contracts.save(view.id, replace(
        view.content, delivery_terms="送货至{customer}指定地点，联系人{contact}。"),
        expected_version=view.version, by=rep).contract
    text = "\n".join(pages(services.contracts.pdf(view.id, viewer=rep)))
    assert "送货至Northwind Traders指定地点" in text
    assert "{customer}" not in text
    # a value it lacks (no contact on the deal) shows as missing in the draft
    assert "［缺少：contact］" in text
