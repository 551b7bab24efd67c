"""The sample customers' profiles: region, industry, credit code, owner, key level, lead
source, tags, phones and emails, and a few duplicates for "Find duplicates" to find."""

from __future__ import annotations

import random
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from funneldesk.models import Channel, CompanyTag, ContactTag, LeadSource
from funneldesk.services.customers import validation
from funneldesk.services.customers.channels import tag_ids
from funneldesk.services.customers.records import ROLES

_SIZES = ("1-49", "50-199", "200-999", "1000+")
# 154… and 194… are no mobile numbers (phonenumbers refuses them, as an import would)
_NO_MOBILES = ("54", "94")
_CODE = "0123456789ABCDEFGHJKLMNPQRTUWXY"


class ProfileMaker:
    def __init__(self, session: Session, rng: random.Random, words: dict[str, Any]) -> None:
        self.session, self.rng, self.words = session, rng, words
        self.sources = list(session.scalars(select(LeadSource.id).where(LeadSource.active)))
        self.chinese = bool(words["pinyin"])

    def romanised(self, text: str) -> str:
        table: dict[str, str] = self.words["pinyin"]
        if not table:
            return text.lower().replace(" ", ".")
        if text in table:
            return table[text]
        return "".join(table.get(ch, "") for ch in text)

    def company(self, name: str, city: str, brand: str, trade: str, owner: int) -> dict[str, Any]:
        r, w = self.rng, self.words
        domain = f"{self.romanised(brand)}.{w['tld']}"
        code = "91" + "".join(r.choice("0123456789") for _ in range(6)) + "".join(
            r.choice(_CODE) for _ in range(9))
        roll = r.random()
        return {
            "industry": trade, "segment": r.choice(w["segments"]), "size": r.choice(_SIZES),
            "country": w["country"], "province": w["provinces"].get(city, ""), "city": city,
            "website": f"www.{domain}", "owner_id": owner,
            "credit_code": validation.with_check_character(code) if self.chinese else "",
            "key_level": "A" if roll < 0.04 else "B" if roll < 0.1 else "C" if roll < 0.18 else "",
            "lead_source_id": r.choice(self.sources) if self.sources else None,
            "campaign": r.choice(w["campaigns"]), "_domain": domain,
        }

    def contact(self, person: str, surname: str, given: str, company: dict[str, Any]
                ) -> dict[str, Any]:
        r = self.rng
        handle = (f"{self.romanised(surname)}.{self.romanised(given)}" if self.chinese
                  else f"{given.lower()}.{surname.lower()}")
        return {
            "role": r.choice([*ROLES, ""]), "owner_id": company["owner_id"],
            "wechat": f"{handle.replace('.', '_')}{r.randint(10, 99)}" if self.chinese else "",
            "lead_source_id": company["lead_source_id"], "campaign": company["campaign"],
            "data_origin": company["campaign"] or "",
            "consent": r.choice(["given", "given", "unknown"]),
            "_email": f"{handle}@{company['_domain']}",
        }

    def phone(self, mobile: bool) -> str:
        r = self.rng
        if self.chinese:
            if not mobile:
                return f"+8621{r.randint(5000_0000, 6999_9999)}"
            second, third = r.choice("3589"), r.randint(0, 9)
            if f"{second}{third}" in _NO_MOBILES:  # the same draws: the seed's data stays
                third = 8
            return f"+861{second}{third}{r.randint(1000_0000, 9999_9999)}"
        return f"+1617555{r.randint(1000, 9999)}"

    def channels(self, companies: list[dict[str, Any]], contacts: list[dict[str, Any]]) -> None:
        rows: list[dict[str, Any]] = []
        for company in companies:
            value = self.phone(False)
            rows.append({"company_id": company["id"], "kind": "phone", "value": value,
                         "key": value, "position": 0})
        for contact in contacts:
            value = self.phone(True)
            rows.append({"contact_id": contact["id"], "kind": "phone", "value": value,
                         "key": value, "position": 0})
            rows.append({"contact_id": contact["id"], "kind": "email",
                         "value": contact["_email"], "key": contact["_email"].lower(),
                         "position": 1})
        # a few people entered twice: the same mobile or email on another contact
        for first, second in zip(contacts[::37], contacts[18::37], strict=False):
            if first["id"] != second["id"]:
                mobile = next(r for r in rows if r.get("contact_id") == first["id"])
                rows.append({**mobile, "contact_id": second["id"], "position": 2})
        self.session.execute(insert(Channel), [
            {"company_id": None, "contact_id": None, **row} for row in rows])

    def tags(self, companies: list[dict[str, Any]], contacts: list[dict[str, Any]]) -> None:
        ids = tag_ids(self.session, self.words["tags"])
        company_tags = {(c["id"], t) for c in companies for t in self.rng.sample(ids, 2)
                        if self.rng.random() < 0.6}
        contact_tags = {(c["id"], self.rng.choice(ids)) for c in contacts
                        if self.rng.random() < 0.2}
        if company_tags:
            self.session.execute(insert(CompanyTag), [
                {"company_id": c, "tag_id": t} for c, t in sorted(company_tags)])
        if contact_tags:
            self.session.execute(insert(ContactTag), [
                {"contact_id": c, "tag_id": t} for c, t in sorted(contact_tags)])


def strip_private(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows without the maker's own notes (keys starting with _)."""
    return [{k: v for k, v in row.items() if not k.startswith("_")} for row in rows]
