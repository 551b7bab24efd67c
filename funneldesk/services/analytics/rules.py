"""The funnel doctor's suggestion rules: a condition on the bottleneck and the advice it
gives, which managers edit. The defaults are written in the team's language the first
time the rules are read (as a new database's stages and lost reasons are), matched to
the lost reasons a new database has by their place in the list."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from funneldesk.errors import InvalidInput, StaleEdit
from funneldesk.i18n import N_, _
from funneldesk.models import AuditEntry, DoctorRule, LostReason, Stage, TeamSetting, User
from funneldesk.services.common import audit
from funneldesk.services.common.lookups import get_or_raise
from funneldesk.services.common.permissions import require_manager
from funneldesk.services.common.records import Actor

SEEDED = "doctor_rules_seeded"
REASONS = ("", "low_conversion", "long_time")
# (lost reason's place in a new database's list, or None; the bottleneck's reason; advice)
DEFAULTS: tuple[tuple[int | None, str, str], ...] = (
    (0, "", N_("Many deals are lost on price here: review the quote options and the floor "
               "prices, offer a leaner option, and show the value before the price.")),
    (1, "", N_("Competitors win here: prepare a comparison with the ones you meet most, and "
               "bring presales in before the proposal.")),
    (2, "", N_("Deals without a budget end here: confirm the budget and who decides before "
               "any proposal is sent.")),
    (3, "", N_("Projects are cancelled or postponed here: ask about timing and priorities "
               "early, and keep a postponed deal open with a dated next step.")),
    (4, "", N_("Deals that do not fit end here: qualify harder at the first contact, "
               "against what the product really does.")),
    (5, "", N_("Contact is lost here: agree on the next step and its date at every meeting, "
               "and use follow-up plans so that no deal goes quiet.")),
    (None, "long_time", N_("Deals wait too long here: review those past the rot limit every "
                           "week; each needs a dated next step or a decision.")),
    (None, "low_conversion", N_("Few deals get past this stage: check its exit criteria "
                                "with the team, and coach the reps whose conversion here is "
                                "lowest.")),
)
DEFAULT_SHARE = 25  # percent of the losses at the stage


@dataclass(frozen=True)
class Rule:
    id: int
    version: int
    stage_id: int | None
    reason: str
    lost_reason_id: int | None
    min_share: int
    advice: str
    active: bool


@dataclass(frozen=True)
class RuleFields:
    stage_id: int | None
    reason: str
    lost_reason_id: int | None
    min_share: int
    advice: str
    active: bool = True


def seed(session: Session) -> None:
    """Writes the default rules once, in the language now chosen."""
    if session.get(TeamSetting, SEEDED) is not None:
        return
    reasons = list(session.scalars(select(LostReason.id).order_by(LostReason.position,
                                                                  LostReason.id)))
    position = 0
    for place, reason, advice in DEFAULTS:
        lost = reasons[place] if place is not None and place < len(reasons) else None
        if place is not None and lost is None:
            continue
        session.add(DoctorRule(position=position, stage_id=None, reason=reason,
                               lost_reason_id=lost,
                               min_share=DEFAULT_SHARE if lost is not None else 0,
                               advice=_(advice), active=True))
        position += 1
    session.add(TeamSetting(key=SEEDED, value="1"))


def read(session: Session) -> list[Rule]:
    return [Rule(r.id, r.version, r.stage_id, r.reason, r.lost_reason_id, r.min_share,
                 r.advice, r.active)
            for r in session.scalars(select(DoctorRule).order_by(DoctorRule.position,
                                                                 DoctorRule.id))]


def matching(rules: list[Rule], stage_id: int, reason: str,
             lost_shares: Mapping[int, float]) -> list[str]:
    """The advice of every active rule the bottleneck meets."""
    return [r.advice for r in rules if r.active
            and r.stage_id in (None, stage_id) and r.reason in ("", reason)
            and (r.lost_reason_id is None
                 or lost_shares.get(r.lost_reason_id, 0.0) * 100 >= r.min_share)]


def save(session: Session, fields: RuleFields, by: Actor, rule_id: int | None = None,
         expected_version: int | None = None) -> int:
    """Adds a rule, or changes one (a manager's call); its id."""
    require_manager(by, _("Only a manager can change the funnel doctor's rules."))
    advice = fields.advice.strip()
    if not advice:
        raise InvalidInput("advice", _("Write the advice the rule gives."))
    if fields.reason not in REASONS:
        raise InvalidInput("reason", _("Choose why the stage holds the funnel back."))
    if not 0 <= fields.min_share <= 100:
        raise InvalidInput("min_share", _("Enter a share from 0 to 100%."))
    if fields.stage_id is not None:
        get_or_raise(session, Stage, fields.stage_id, "stage")
    if fields.lost_reason_id is not None:
        get_or_raise(session, LostReason, fields.lost_reason_id, "lost_reason")
    if rule_id is None:
        last = session.scalar(select(DoctorRule.position).order_by(
            DoctorRule.position.desc()).limit(1))
        rule = DoctorRule(position=(last or 0) + 1)
        session.add(rule)
    else:
        rule = get_or_raise(session, DoctorRule, rule_id, "doctor_rule")
        if expected_version is not None and rule.version != expected_version:
            raise _changed_since(session, rule_id)
    before = {"stage_id": rule.stage_id, "reason": rule.reason,
              "lost_reason_id": rule.lost_reason_id, "min_share": rule.min_share,
              "advice": rule.advice, "active": rule.active} if rule_id is not None else {}
    rule.stage_id, rule.reason = fields.stage_id, fields.reason
    rule.lost_reason_id, rule.min_share = fields.lost_reason_id, fields.min_share
    rule.advice, rule.active = advice, fields.active
    session.flush()
    after = {"stage_id": fields.stage_id, "reason": fields.reason,
             "lost_reason_id": fields.lost_reason_id, "min_share": fields.min_share,
             "advice": advice, "active": fields.active}
    audit.record(session, by, "save", "doctor_rule", rule.id,
                 **{k: [before.get(k), v] for k, v in after.items() if before.get(k) != v})
    return rule.id


def remove(session: Session, rule_id: int, by: Actor) -> None:
    require_manager(by, _("Only a manager can change the funnel doctor's rules."))
    rule = get_or_raise(session, DoctorRule, rule_id, "doctor_rule")
    audit.record(session, by, "delete", "doctor_rule", rule_id, advice=rule.advice)
    session.delete(rule)


def _changed_since(session: Session, rule_id: int) -> StaleEdit:
    """Who changed the rule last, and when, from the audit log."""
    entry = session.scalars(select(AuditEntry).where(
        AuditEntry.entity == "doctor_rule", AuditEntry.entity_id == rule_id)
        .order_by(AuditEntry.id.desc()).limit(1)).first()
    who = session.get(User, entry.user_id) if entry is not None else None
    return StaleEdit(who.display_name if who else None, entry.at if entry else None)
