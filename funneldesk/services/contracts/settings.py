"""The team's contract settings, set by a manager: the terms' templates (zh/en), the
review checklist, the days after delivery on which return visits (回访) fall, and the
questionnaire of a return visit per customer segment."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from funneldesk.errors import InvalidFields, InvalidInput
from funneldesk.i18n import N_, _
from funneldesk.models import TeamSetting
from funneldesk.services.common import audit
from funneldesk.services.common.base import Service
from funneldesk.services.common.permissions import require_manager
from funneldesk.services.common.records import Actor
from funneldesk.services.common.sql import Query
from funneldesk.services.contracts import templates
from funneldesk.services.contracts.records import REVIEWER_LABELS
from funneldesk.services.team import reads

TEMPLATE_KEY = "contract_template_{language}"
REVIEW_KEY = "contract_review_items"
VISIT_DAYS_KEY = "contract_visit_days"
QUESTIONNAIRE_KEY = "contract_questionnaires"
LANGUAGES = ("zh_CN", "en")

# (label, who may tick it): legal, finance and a manager, as most teams review
DEFAULT_REVIEW = ((N_("Legal review: terms and liability"), "legal"),
                  (N_("Finance review: amounts, payment schedule and invoicing"), "finance"),
                  (N_("Manager's approval"), "manager"))
DEFAULT_VISIT_DAYS = (7, 30, 90)
DEFAULT_QUESTIONNAIRE = N_(
    "1. Is the delivered product working as agreed?\n"
    "2. How satisfied are you with our service (1-5)?\n"
    "3. Any problem we should solve?\n"
    "4. Would you recommend us?")


@dataclass(frozen=True, slots=True)
class ContractSettings:
    templates: dict[str, str]  # language -> terms template
    review_items: tuple[tuple[str, str], ...]  # (label, who)
    visit_days: tuple[int, ...]
    # customer segment -> questionnaire; "" for every segment without its own
    questionnaires: dict[str, str] = field(default_factory=dict)

    def questionnaire(self, segment: str) -> str:
        return self.questionnaires.get(segment.strip()) or self.questionnaires.get("", "")


def contract_settings(query: Query) -> ContractSettings:
    stored = {language: reads.setting(query, TEMPLATE_KEY.format(language=language))
              for language in LANGUAGES}
    review = reads.setting(query, REVIEW_KEY)
    days = reads.setting(query, VISIT_DAYS_KEY)
    questionnaires = reads.setting(query, QUESTIONNAIRE_KEY)
    return ContractSettings(
        {language: text if text is not None else templates.default_terms(language)
         for language, text in stored.items()},
        tuple((str(label), str(who)) for label, who in json.loads(review)) if review
        else tuple((_(label), who) for label, who in DEFAULT_REVIEW),
        tuple(int(d) for d in days.split(",") if d) if days is not None
        else DEFAULT_VISIT_DAYS,
        json.loads(questionnaires) if questionnaires else {"": _(DEFAULT_QUESTIONNAIRE)})


class ContractSettingsService(Service):
    def settings(self) -> ContractSettings:
        return contract_settings(self.db.query)

    def set_settings(self, settings: ContractSettings, *, by: Actor) -> ContractSettings:
        require_manager(by, _("Only a manager can change the contract settings."))
        clean = _checked(settings)
        before = self.settings()
        values = {TEMPLATE_KEY.format(language=language): text
                  for language, text in clean.templates.items()}
        values[REVIEW_KEY] = json.dumps([list(item) for item in clean.review_items],
                                        ensure_ascii=False)
        values[VISIT_DAYS_KEY] = ",".join(str(d) for d in clean.visit_days)
        values[QUESTIONNAIRE_KEY] = json.dumps(clean.questionnaires, ensure_ascii=False)
        with self.db.session() as session:
            for key, value in values.items():
                session.merge(TeamSetting(key=key, value=value))
            audit.record(session, by, "set-contract-settings", "team_setting", None,
                         templates_changed=sorted(
                             k for k in clean.templates
                             if clean.templates[k] != before.templates.get(k)),
                         review_items=[list(before.review_items), list(clean.review_items)],
                         visit_days=[list(before.visit_days), list(clean.visit_days)])
        return clean


def _checked(settings: ContractSettings) -> ContractSettings:
    problems: list[InvalidInput] = []
    for language in LANGUAGES:
        text = settings.templates.get(language, "").strip()
        field_name = f"template_{language}"
        if not text:
            problems.append(InvalidInput(field_name, _("A template needs at least one clause.")))
            continue
        try:
            templates.check(text, field_name)
        except InvalidInput as error:
            problems.append(error)
    items = tuple((label.strip(), who) for label, who in settings.review_items if label.strip())
    if not items:
        problems.append(InvalidInput("review_items", _(
            "Keep at least one review item: a contract is reviewed before it is signed.")))
    if any(who not in REVIEWER_LABELS for _label, who in items):
        problems.append(InvalidInput("review_items", _(
            "Each review item is ticked by a manager or by a role of the deal's team.")))
    days = tuple(sorted(set(settings.visit_days)))
    if any(not 1 <= d <= 3650 for d in days):
        problems.append(InvalidInput("visit_days", _(
            "Return visits fall 1 to 3650 days after delivery.")))
    if problems:
        raise InvalidFields.of(problems)
    return ContractSettings({k: v.strip() for k, v in settings.templates.items()
                             if k in LANGUAGES}, items, days,
                            {k.strip(): v.strip() for k, v in settings.questionnaires.items()
                             if v.strip()})
