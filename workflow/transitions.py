"""Declared state transitions.

A workflow is data: a table of `Transition`s (name, from-states, to-state, label, permission,
whether a comment is required). `Workflow.apply` is the one path through which a state change
passes: it locks the row (`select_for_update`), checks the current state and the actor's
permission, saves, writes the audit record and lets the caller notify — all in one
transaction, so an illegal or concurrent transition never half-applies.
"""

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from common.errors import DomainError
from common.errors import error_text as error_text  # re-exported: the views import it from here

from .services import record_audit

COMMON_ACTIONS = {"create": _lazy("创建草稿"), "import": _lazy("批量导入")}


class TransitionError(DomainError):
    """A transition that may not happen; its message is shown to the user as it is."""


class AlreadyHandled(TransitionError):
    """The object moved on meanwhile (another reviewer acted first)."""


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str
    label: str
    permission: str
    comment_required: bool = False
    style: str = "primary"
    #: For a final step: what happens, asked before it is taken ("确定…吗？"); the page's button
    #: carries it (templates/workflow/_transition_buttons.html).
    confirm: str = ""


@dataclass
class Workflow:
    model: type
    transitions: Iterable[Transition]
    state_field: str = "status"
    #: What the actor saw on screen, as a string. By default the state; a workflow whose
    #: transitions keep the state (e.g. approval moving up the levels) includes more.
    version: Callable | None = None
    #: `on_change(obj, from_state)`, after every applied transition, inside the transaction:
    #: e.g. to drop cached figures that count objects by state (on commit).
    on_change: Callable | None = None
    #: The foreign keys read with the locked row (one query, not one per key read later by the
    #: permission rule, the chain or the notifications). None: every forward foreign key.
    select_related: tuple[str, ...] | None = None
    _by_name: dict = field(init=False, repr=False)
    _fields: tuple = field(init=False, repr=False)
    _auto_now: tuple = field(init=False, repr=False)

    def __post_init__(self):
        self._by_name = {t.name: t for t in self.transitions}
        meta = self.model._meta
        self._fields = tuple(f for f in meta.concrete_fields if not f.primary_key)
        self._auto_now = tuple(f.name for f in self._fields if getattr(f, "auto_now", False))
        if self.select_related is None:
            self.select_related = tuple(
                f.name for f in self.model._meta.concrete_fields if f.many_to_one
            )

    def __getitem__(self, name) -> Transition:
        return self._by_name[name]

    def check(self, user, obj, name) -> tuple[bool, str]:
        """(allowed, reason): so the UI can say why an action is not offered."""
        t = self._by_name.get(name)
        if t is None:
            return False, _("未知操作。")
        if getattr(obj, self.state_field) not in t.sources:
            return False, _("当前状态为“%(state)s”，不能执行“%(action)s”。") % {
                "state": self.state_label(obj),
                "action": t.label,
            }
        if not user.has_perm(t.permission, obj):
            return False, _("您没有权限执行“%(action)s”。") % {"action": t.label}
        return True, ""

    def available(self, user, obj) -> list[Transition]:
        return [t for t in self._by_name.values() if self.check(user, obj, t.name)[0]]

    def describe(self, entries, extra_actions=None):
        """Give audit entries readable labels: the transition's label for the action and the
        state field's choices for from/to."""
        states = dict(self.model._meta.get_field(self.state_field).choices)
        actions = {**COMMON_ACTIONS, **(extra_actions or {})}
        actions.update({t.name: t.label for t in self._by_name.values()})
        entries = list(entries)
        for e in entries:
            e.action_label = actions.get(e.action, e.action)
            e.from_label = states.get(e.from_state, e.from_state)
            e.to_label = states.get(e.to_state, e.to_state)
        return entries

    def _values(self, obj) -> dict:
        """The row's values as loaded, in a form a change in place cannot reach: JSON lists and
        dicts copied, a file by its name (`FieldFile.save` renames the same object)."""
        return {f.attname: _comparable(getattr(obj, f.attname)) for f in self._fields}

    def _changed(self, obj, loaded: dict) -> list[str]:
        """The fields the transition changed, and the `auto_now` ones: the UPDATE writes these
        alone (not the whole row: the state, a level, a date or two)."""
        changed = [
            f.name
            for f in self._fields
            if _comparable(getattr(obj, f.attname)) != loaded[f.attname]
        ]
        return changed + [name for name in self._auto_now if name not in changed]

    def version_of(self, obj) -> str:
        return self.version(obj) if self.version else str(getattr(obj, self.state_field))

    def state_label(self, obj) -> str:
        getter = getattr(obj, f"get_{self.state_field}_display", None)
        return getter() if getter else getattr(obj, self.state_field)

    def apply(
        self,
        pk,
        name: str,
        *,
        actor,
        comment: str = "",
        expected_version: str | None = None,
        before_save: Callable | None = None,
        after_save: Callable | None = None,
    ):
        """Perform transition `name` on the object with primary key `pk`.

        `expected_version` is `version_of(obj)` as the actor saw it on screen: if the row has
        moved on since, the actor gets "already handled" instead of acting on something they
        did not see.
        `before_save(obj, transition)` may set further fields, or route to another state than
        the declared target (e.g. "approve" stays in review until the last level);
        `after_save(obj, transition, from_state)` may notify. Both run inside the transaction
        and under the row lock."""
        t = self._by_name.get(name)
        if t is None:
            raise TransitionError(_("未知操作。"))
        comment = (comment or "").strip()
        with transaction.atomic():
            # the row alone is locked (of=self): its foreign keys come along unlocked
            obj = (
                self.model.objects.select_for_update(of=("self",))
                .select_related(*self.select_related)
                .get(pk=pk)
            )
            current = getattr(obj, self.state_field)
            loaded = self._values(obj)
            if expected_version is not None and self.version_of(obj) != expected_version:
                raise AlreadyHandled(
                    _("该事项已被他人处理（当前状态：%(state)s），请刷新后查看。")
                    % {"state": self.state_label(obj)}
                )
            if current not in t.sources:
                raise AlreadyHandled(
                    _("该事项当前状态为“%(state)s”，不能执行“%(action)s”，可能已被他人处理。")
                    % {"state": self.state_label(obj), "action": t.label}
                )
            if not actor.has_perm(t.permission, obj):
                raise TransitionError(_("您没有权限执行“%(action)s”。") % {"action": t.label})
            if t.comment_required and not comment:
                raise TransitionError(_("执行“%(action)s”必须填写意见。") % {"action": t.label})
            setattr(obj, self.state_field, t.target)
            if before_save:
                before_save(obj, t)
            obj.save(update_fields=self._changed(obj, loaded))
            record_audit(
                actor=actor,
                obj=obj,
                action=t.name,
                from_state=current,
                to_state=getattr(obj, self.state_field),  # before_save may route elsewhere
                comment=comment,
            )
            if after_save:
                after_save(obj, t, current)
            if self.on_change:
                self.on_change(obj, current)
            return obj


def decision(workflow: "Workflow", name: str, *, prepare=None, tell=None):
    """A decision service `(*, actor, pk, comment="", expected_version=None)` that applies
    transition `name` of `workflow`: `prepare(obj, actor)` may set further fields (or refuse)
    before the save, `tell(obj, comment)` notifies after it — both inside the transaction, under
    the row lock. The services that only stamp and tell are this, declared in one line."""

    def decide(*, actor, pk, comment="", expected_version=None):
        return workflow.apply(
            pk,
            name,
            actor=actor,
            comment=comment,
            expected_version=expected_version,
            before_save=prepare and (lambda obj, _t: prepare(obj, actor)),
            after_save=tell and (lambda obj, _t, _from: tell(obj, comment)),
        )

    return decide


def telling(recipients: Callable, title, *, subject: Callable, link: Callable, body=None):
    """A `tell` for `decision`: notifies `recipients(obj)` of `title` (a lazy message) formatted
    with `subject(obj)`, `link(obj)` to open; the body is the decision's comment, or `body(obj)`
    where given."""
    from .services import notify

    def tell(obj, comment):
        notify(
            recipients(obj),
            title=str(title) % subject(obj),
            body=comment if body is None else body(obj),
            url=link(obj),
        )

    return tell


def decision_telling_applicant(workflow: "Workflow", name: str, title, *, subject, link):
    """A decision (see `decision`) that tells the object's applicant: `title` formatted with
    `subject(obj)`, the decision's comment as the body, `link(obj)` to open — a return or a
    rejection, in every chain-reviewed app."""
    applicant = telling(lambda obj: [obj.applicant], title, subject=subject, link=link)
    return decision(workflow, name, tell=applicant)


def telling_approval(
    *, done: Callable, reviewers: Callable, titles: dict, subject: Callable, link: Callable
):
    """A `tell` for `chain_approval`: the applicant hears that the object passed the whole
    chain (`titles["done"]`, when `done(obj)`) or a level (`titles["level"]`, with the
    level's name); while it climbs, `reviewers(obj)` at its next level are asked to review
    (`titles["next"]`). The titles are lazy messages formatted with `subject(obj)`; the
    comment is every body; one `notify_all`."""
    from .services import Message, notify_all

    def tell(obj, level, comment, _actor):
        values = {**subject(obj), "level": level}
        messages = []
        if done(obj):
            title = str(titles["done"]) % values
        else:
            title = str(titles["level"]) % values
            messages.append(
                Message(
                    reviewers(obj), title=str(titles["next"]) % values, body=comment, url=link(obj)
                )
            )
        messages.append(Message([obj.applicant], title=title, body=comment, url=link(obj)))
        notify_all(messages)  # the next level and the applicant: one INSERT

    return tell


def require_complete(missing: list) -> None:
    """Refuse a submission (a ValidationError naming them) while `missing` lists elements."""
    if missing:
        raise ValidationError(_("请补全以下内容后再提交：%(m)s。") % {"m": _("、").join(missing)})


def submitted_revision(obj) -> str:
    """The body that tells a reviewer which revision now waits for them."""
    return _("第 %(n)d 版已提交，请审核。") % {"n": obj.revision_number}


def chain_submission(
    workflow: "Workflow", *, prepare: Callable, chain_of: Callable, snapshot: Callable, tell
):
    """The "submit" decision of a chain-reviewed object (see `decision`): `prepare(obj, actor)`
    checks it may go (`require_complete`, windows…) and freezes what else it must; then it
    enters the chain `chain_of(obj)` with `snapshot(obj)` as its next revision (`enter_chain`),
    and `tell(obj, comment)` tells the reviewers at the level it now waits at."""

    def before(obj, actor):
        prepare(obj, actor)
        enter_chain(obj, chain_of(obj), snapshot=snapshot(obj), actor=actor)

    return decision(workflow, "submit", prepare=before, tell=tell)


def chain_approval(workflow: "Workflow", *, chain_of: Callable, on_top: Callable, tell: Callable):
    """The "approve" decision of a chain-reviewed object (see `decision`): at the current level
    it moves on up `chain_of(obj)` (`climb_chain`), and after the chain's last level
    `on_top(obj)` sets the state the whole chain's approval leads to; then
    `tell(obj, level, comment, actor)` — `level` the unit that decided — notifies (the next
    level, the applicant; whatever else the approval sets off runs there too)."""

    def approve(*, actor, pk, comment="", expected_version=None):
        decided_at = {}

        def before_save(obj, _t):
            decided_at["level"] = obj.current_level
            if climb_chain(obj, chain_of(obj)):
                on_top(obj)

        def after_save(obj, _t, _from):
            tell(obj, decided_at["level"], comment, actor)

        return workflow.apply(
            pk,
            "approve",
            actor=actor,
            comment=comment,
            expected_version=expected_version,
            before_save=before_save,
            after_save=after_save,
        )

    return approve


def _comparable(value):
    if isinstance(value, list | dict):
        return copy.deepcopy(value)
    if isinstance(value, FieldFile):
        return ("file", value.name)
    return value


def chain_review(states, *, submit_perm: str, review_perm: str) -> list[Transition]:
    """The level-by-level review that brand applications and flagship candidacies share:
    submit (draft or returned → in review), approve (declared to stay in review: the caller's
    `before_save` moves it up the approval chain or out at the last level), return and reject
    (both need a comment). `states` has DRAFT, RETURNED, IN_REVIEW and REJECTED."""
    return [
        Transition(
            "submit",
            (states.DRAFT, states.RETURNED),
            states.IN_REVIEW,
            _lazy("提交审核"),
            submit_perm,
        ),
        Transition(
            "approve",
            (states.IN_REVIEW,),
            states.IN_REVIEW,
            _lazy("审核通过"),
            review_perm,
            style="success",
        ),
        Transition(
            "return",
            (states.IN_REVIEW,),
            states.RETURNED,
            _lazy("退回修改"),
            review_perm,
            comment_required=True,
            style="warning",
        ),
        Transition(
            "reject",
            (states.IN_REVIEW,),
            states.REJECTED,
            _lazy("不予通过"),
            review_perm,
            comment_required=True,
            style="danger",
            confirm=_lazy(
                "“不予通过”是最终决定：该申报将终止，不能再修改或重新提交。确定不予通过吗？"
            ),
        ),
    ]


def enter_chain(obj, chain, *, snapshot: dict, actor) -> None:
    """On submission (the `before_save` of "submit"): a first submission goes to the first level
    of the approval `chain`, a resubmission back to the level that returned it; what is
    submitted is frozen as the next revision (`obj.revisions`, a SubmittedRevision model)."""
    if not chain:
        raise TransitionError(_("未找到该支部的上级审核组织，请联系系统管理员。"))
    if obj.current_level_id is None:
        obj.current_level = chain[0]
    obj.revision_number += 1
    obj.submitted_at = timezone.now()
    obj.revisions.create(number=obj.revision_number, snapshot=snapshot, created_by=actor)


def climb_chain(obj, chain) -> bool:
    """On approval (the `before_save` of "approve"): on to the next level of the `chain`, or,
    after the last, off it (`current_level` None) — then True, and the caller sets the state
    the whole chain's approval leads to."""
    ids = [unit.pk for unit in chain]
    position = ids.index(obj.current_level_id) if obj.current_level_id in ids else -1
    if position + 1 < len(chain):
        obj.current_level = chain[position + 1]
        return False
    obj.current_level = None
    return True


def chain_version(obj) -> str:
    """What a reviewer saw: the state, the level whose turn it was, and the revision. Approval
    keeps the state while the level moves, so the state alone cannot tell a stale page."""
    return f"{obj.status}@{obj.current_level_id or '-'}#{obj.revision_number}"
