"""The gate mutation table: for each stage S1–S6 and each requirement of its gate
(the standard's own, and each default checklist template of a category), a service
that has everything but that one item is refused at the gate, by the button and by
``write``, with a message naming the item, and nothing changes. Removing any single
requirement from the code fails the row of that requirement.

Each stage's rows share one service walked through the real gates to that stage;
each row runs in a savepoint rolled back afterwards. A control row (nothing left out)
passes the gate, so that every other row lacks one item only."""

import contextlib
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import CATEGORY_TERMS, PNG_1PX, TsqCase, plan_values

NEXT = {"s1": "s2", "s2": "s3", "s3": "s4", "s4": "s5", "s5": "s6", "s6": "done"}

# (stage, what is left out, what the refusal must name) for the standard's own
# requirements (models/lifecycle/project_project.py, _tsq_missing_s1 … _tsq_missing_s6).
BUILT_IN = [
    ("s1", "inquiry_received_at", "The inquiry's received time"),
    ("s1", "first_response_at", "The first response to the client"),
    ("s1", "needs_analysis", "The needs analysis"),
    ("s1", "feasibility", "A feasibility assessment that accepts the service"),
    ("s1", "feasibility_reason", "The assessor and the reasoning of the feasibility"),
    ("s1", "feasibility_user_id", "The assessor and the reasoning of the feasibility"),
    ("s2", "plan_objectives", "Plan: objectives"),
    ("s2", "plan_scope", "Plan: scope"),
    ("s2", "plan_content", "Plan: service content"),
    ("s2", "plan_deliverables", "Plan: deliverables"),
    ("s2", "plan_risks", "Plan: risks"),
    ("s2", "plan_fee", "Plan: fees"),
    ("s2", "service_milestone_ids", "Plan: at least one milestone"),
    ("s2", "plan_confirmed_at", "The client's confirmation of the plan"),
    ("s3", "term_parties", "Contract term: Parties"),
    ("s3", "term_scope", "Contract term: Scope of service"),
    ("s3", "term_deliverables", "Contract term: Deliverables"),
    ("s3", "term_timeline", "Contract term: Timeline"),
    ("s3", "term_fees", "Contract term: Fees and payment"),
    ("s3", "term_acceptance", "Contract term: Acceptance criteria"),
    ("s3", "term_confidentiality", "Contract term: Confidentiality"),
    ("s3", "term_ip", "Contract term: Intellectual property"),
    ("s3", "term_liability", "Contract term: Liability for breach"),
    ("s3", "term_disputes", "Contract term: Dispute resolution"),
    ("s3", "contract_signed_date", "The contract's signing date"),
    ("s3", "contract_attachment_ids", "The signed contract document"),
    ("s3", "contract_delivery_date", "The contract delivery date"),
    ("s3", "signed_in_future", "work starts only once it is signed"),
    ("s3", "delivery_before_signing", "is before the contract's signing date"),
    ("s4", "milestone_done", "Milestone not reached: 检索报告"),
    ("s4", "change_request", "Change request not settled (approval and client consent): 补充检索"),
    ("s4", "progress_report_sent", "At least one progress report sent to the client"),
    ("s5", "deliverables", "The deliverables"),
    ("s5", "handed_over", "Deliverable not handed over: 补充说明"),
    ("s5", "acceptance", "The client's signed acceptance"),
    ("s6", "return_visit", "A return visit with the client's satisfaction score"),
    ("s6", "aftersales", "After-sales request still open: "),
]

BUILT_IN_STAGES = sorted({stage for stage, _omit, _expected in BUILT_IN})


class _Undo(Exception):
    """Raised at the end of a row to roll its savepoint back."""


@tagged("post_install", "-at_install")
class TestGateMutations(TsqCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # An own category whose checklist is every default template of the data
        # categories (the union by stage and name): each one gets its rows.
        cls.source_templates = cls._data_templates()
        unique = {}
        for tmpl in cls.source_templates.sorted(lambda t: (t.stage, t.sequence, t.id)):
            unique.setdefault(cls._template_key(tmpl), tmpl)
        cls.category = cls.env["tsq.service.category"].create(
            {
                "name": "Mutation table services",
                "code": "TMT",
                **CATEGORY_TERMS,
                "gate_template_ids": [
                    Command.create(
                        {
                            "stage": tmpl.stage,
                            "sequence": tmpl.sequence,
                            "name": tmpl.name,
                            "kind": tmpl.kind,
                            "required": tmpl.required,
                            "evidence_required": tmpl.evidence_required,
                            "approver_group_id": tmpl.approver_group_id.id,
                            "segregation": tmpl.segregation,
                        }
                    )
                    for tmpl in unique.values()
                ],
            }
        )
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {"name": "Mutation table desk", "user_id": cls.manager.id}
        )

    @classmethod
    def _data_templates(cls):
        """The default checklist templates of the add-on's service categories."""
        categories = cls.env["tsq.service.category"].search([])
        data = categories.filtered(
            lambda c: (c.get_external_id()[c.id] or "").startswith("tech_service_quality.")
        )
        return data.gate_template_ids

    @staticmethod
    def _template_key(tmpl):
        return (
            tmpl.stage,
            tmpl.name,
            tmpl.kind,
            tmpl.required,
            tmpl.evidence_required,
            tmpl.approver_group_id.id,
            tmpl.segregation,
        )

    # ----------------------------------------------------------------- filling
    def _fill(self, service, omit=None):
        """What the standard requires of the service's current stage, but ``omit``."""
        getattr(self, f"_fill_{service.service_stage}")(service, service.with_user(self.user), omit)

    def _fill_s1(self, service, as_user, omit):
        vals = self._inquiry_values()
        if omit == "needs_analysis":
            vals["needs_analysis"] = "<p><br></p>"
        elif omit == "inquiry_received_at":
            service.sudo().write({"inquiry_received_at": False})
        elif omit in vals:
            vals[omit] = False
        as_user.write(vals)

    def _fill_s2(self, service, as_user, omit):
        vals = plan_values()
        if omit == "plan_content":
            vals[omit] = "<p><br></p>"
        elif omit == "plan_fee":
            vals[omit] = 0
        elif omit in vals:
            del vals[omit]
        as_user.write(vals)
        if omit != "plan_confirmed_at":
            service.sudo()._tsq_confirm_plan("甲联系人", "portal")

    def _fill_s3(self, service, as_user, omit):
        vals = self._contract_values(service)
        if omit == "signed_in_future":
            today = fields.Date.context_today(service.with_context(tz=service.company_id._tsq_tz()))
            vals["contract_signed_date"] = today + timedelta(days=10)
            vals["contract_delivery_date"] = today + timedelta(days=100)
        elif omit == "delivery_before_signing":
            vals["contract_delivery_date"] = "2026-02-27"
        elif omit in vals:
            del vals[omit]
        as_user.write(vals)

    def _fill_s4(self, service, as_user, omit):
        if omit != "milestone_done":
            service.service_milestone_ids.with_user(self.user).write({"done_date": "2026-03-18"})
        if omit == "change_request":
            self.env["tsq.change.request"].with_user(self.user).create(
                {"service_id": service.id, "name": "补充检索", "impact": "scope"}
            )
        report = (
            self.env["tsq.progress.report"]
            .with_user(self.user)
            .create({"service_id": service.id, "summary": "<p>检索完成</p>"})
        )
        if omit != "progress_report_sent":
            report.action_send()

    def _fill_s5(self, service, as_user, omit):
        if omit == "deliverables":
            return
        Deliverable = self.env["tsq.deliverable"].with_user(self.user)
        Deliverable.create({"service_id": service.id, "name": "专利申请文件"}).action_hand_over()
        if omit == "handed_over":
            Deliverable.create({"service_id": service.id, "name": "补充说明"})
        acceptance = (
            self.env["tsq.acceptance"].with_user(self.user).create({"service_id": service.id})
        )
        if omit != "acceptance":
            acceptance.sudo()._accept("甲联系人", PNG_1PX, "portal")

    def _fill_s6(self, service, as_user, omit):
        if omit != "return_visit":
            service.return_visit_ids[:1].with_user(self.user)._record("5", "很满意", "phone")
        if omit == "aftersales":
            self.ticket = self.env["helpdesk.ticket"].create(
                {
                    "name": "售后：补充一份说明",
                    "description": "<p>请补充说明</p>",
                    "partner_id": self.contact_a.id,
                    "team_id": self.team.id,
                    "service_id": service.id,
                }
            )

    def _items(self, service, skip=None, forge=None, doer=None):
        """Complete the current gate's checklist but ``skip``; ``forge`` is an item
        recorded done by the system without what its kind needs: ("evidence", item)
        done without evidence, ("approver", item, user) approved by ``user``."""
        doer = doer or self.user
        items = service.gate_item_ids.filtered(lambda i: i.stage == service.service_stage)
        forged = forge and forge[1]
        for item in items.filtered(lambda i: i.kind != "approval") - (skip or forged or items[:0]):
            if item.evidence_required:
                item.with_user(doer).attachment_ids = [Command.link(self._attachment().id)]
            item.with_user(doer).write({"done": True})
        for item in items.filtered(lambda i: i.kind == "approval") - (skip or forged or items[:0]):
            item.with_user(self.manager).write({"done": True})
        if forge:
            by = forge[2] if len(forge) > 2 else doer
            forged.sudo().write({"done": True, "done_by_id": by.id, "done_at": self._now()})

    # ----------------------------------------------------------------- checking
    def _service_at(self, stage):
        service = self._new_service()
        self._advance(service, stage)
        self.assertEqual(service.service_stage, stage)
        return service

    def _row(self, service, expected, prepare):
        """In a savepoint rolled back afterwards: ``prepare`` the service, then the
        gate must refuse it, by the button and by write, naming ``expected``, and
        leave it as it was."""
        with contextlib.suppress(_Undo), self.env.cr.savepoint():
            prepare()
            self._assert_refused(service, expected)
            raise _Undo
        self.env.invalidate_all()

    def _assert_refused(self, service, expected):
        stage = service.service_stage
        entered = service.stage_entered_at
        passages = service.gate_passage_ids
        attempts = {
            "button": lambda: service.with_user(self.user).action_pass_gate(),
            "write": lambda: service.with_user(self.user).write({"service_stage": NEXT[stage]}),
        }
        for how, attempt in attempts.items():
            with self.assertRaisesExactly(ValidationError) as caught:
                attempt()
            message = str(caught.exception)
            self.assertIn(expected, message, f"{how}: the refusal must name the item")
            self.assertIn(service.name, message)
            service.invalidate_recordset()
            self.assertEqual(service.service_stage, stage, f"{how}: the stage changed")
            self.assertEqual(service.stage_entered_at, entered)
            self.assertEqual(service.gate_passage_ids, passages, f"{how}: a passage recorded")

    def _control(self, service):
        """Nothing left out: the gate passes (so each row lacks its item only)."""
        with contextlib.suppress(_Undo), self.env.cr.savepoint():
            self._fill(service)
            self._items(service)
            stage = service.service_stage
            service.with_user(self.user).action_pass_gate()
            self.assertEqual(service.service_stage, NEXT[stage])
            raise _Undo
        self.env.invalidate_all()

    def _table(self, stage):
        service = self._service_at(stage)
        self._control(service)
        for row_stage, omit, expected in BUILT_IN:
            if row_stage != stage:
                continue
            with self.subTest(stage=stage, requirement=omit):
                self._row(
                    service,
                    expected,
                    lambda o=omit: (self._fill(service, omit=o), self._items(service)),
                )
        templates = self.category.gate_template_ids.filtered(lambda t: t.stage == stage)
        self.assertTrue(templates, "every stage has default checklist templates")
        for tmpl in templates:
            item = service.gate_item_ids.filtered(lambda i, t=tmpl: i.template_id == t)
            self.assertEqual(len(item), 1)
            label = item.label
            if tmpl.kind == "approval":
                expected = f"Approval missing: {label} ({tmpl.approver_group_id.display_name})"
            else:
                expected = f"Checklist item not done: {label}"
            if tmpl.required:  # an optional item does not stop its gate
                with self.subTest(stage=stage, template=label, left_out="not done"):
                    self._row(
                        service,
                        expected,
                        lambda i=item: (self._fill(service), self._items(service, skip=i)),
                    )
            if tmpl.evidence_required:
                with self.subTest(stage=stage, template=label, left_out="evidence"):
                    self._row(
                        service,
                        f"Evidence missing: {label}",
                        lambda i=item: (
                            self._fill(service),
                            self._items(service, forge=("evidence", i)),
                        ),
                    )
            if tmpl.kind == "approval":
                with self.subTest(stage=stage, template=label, left_out="approver's group"):
                    self._row(
                        service,
                        f"Approval “{label}” was given by someone outside",
                        lambda i=item: (
                            self._fill(service),
                            self._items(service, forge=("approver", i, self.user2)),
                        ),
                    )
                if tmpl.segregation:
                    with self.subTest(stage=stage, template=label, left_out="another approver"):
                        self._row(
                            service,
                            f"Approval “{label}” was given by {self.manager2.name}, who also "
                            "did work of this gate",
                            lambda i=item: (
                                self._fill(service),
                                self._items(
                                    service,
                                    forge=("approver", i, self.manager2),
                                    doer=self.manager2,
                                ),
                            ),
                        )

    # ------------------------------------------------------------------- table
    def test_s1_inquiry_gate(self):
        self._table("s1")

    def test_s2_plan_gate(self):
        self._table("s2")

    def test_s3_contract_gate(self):
        self._table("s3")

    def test_s4_implementation_gate(self):
        self._table("s4")

    def test_s5_delivery_gate(self):
        self._table("s5")

    def test_s6_after_sales_gate(self):
        self._table("s6")

    def test_every_requirement_is_in_the_table(self):
        """Each stage, each contract term and each kind of default template of every
        category has rows: a term or a kind of template added later without a row
        fails here."""
        self.assertEqual(BUILT_IN_STAGES, ["s1", "s2", "s3", "s4", "s5", "s6"])
        terms = {name for name in self.env["project.project"]._fields if name.startswith("term_")}
        self.assertEqual(terms, {omit for _s, omit, _e in BUILT_IN if omit.startswith("term_")})

        templates = self._data_templates()
        self.assertGreaterEqual(len(templates.category_id), 8, "the default categories")
        ours = {self._template_key(t) for t in self.category.gate_template_ids}
        for tmpl in templates:
            self.assertIn(self._template_key(tmpl), ours, f"{tmpl.category_id.name}: {tmpl.name}")

    def test_s2_staff_cannot_be_left_out(self):
        """S2's "Plan: staff" cannot be missing at the gate: a service always has a
        responsible (the constraint refuses removing it), so the row is this refusal."""
        service = self._service_at("s2")
        with self.assertRaisesExactly(ValidationError, "needs a responsible"):
            service.with_user(self.user).write({"user_id": False})
        service.invalidate_recordset()
        self.assertEqual(service.user_id, self.user)

    # ------------------------------------------------------- the other refusals
    def test_decline_needs_a_reason(self):
        service = self._new_service()
        service.with_user(self.user).write(
            {"feasibility": "decline", "feasibility_reason": False, "feasibility_user_id": False}
        )
        for attempt in (
            lambda: service.with_user(self.user).action_decline(),
            lambda: service.with_user(self.user).write({"service_stage": "declined"}),
            lambda: (
                service.with_user(self.user)
                .with_context(tsq_stage_reason="   ")
                .write({"service_stage": "declined"})
            ),
        ):
            with self.assertRaisesExactly(UserError, "Give the reason for declining"):
                attempt()
            service.invalidate_recordset()
            self.assertEqual(service.service_stage, "s1")
            self.assertFalse(service.gate_passage_ids)
            self.assertFalse(service.close_reason)
        service.with_user(self.user).with_context(tsq_stage_reason="超出资质范围").action_decline()
        self.assertEqual(
            (service.service_stage, service.close_reason), ("declined", "超出资质范围")
        )

    def test_objection_closed_only_with_an_outcome(self):
        service = self._service_at("s5")
        Deliverable = self.env["tsq.deliverable"].with_user(self.user)
        Deliverable.create({"service_id": service.id, "name": "报告"}).action_hand_over()
        acceptance = (
            self.env["tsq.acceptance"].with_user(self.user).create({"service_id": service.id})
        )
        acceptance.sudo()._raise_objection("第 3 页数据有误", "portal")
        self.assertEqual(acceptance.state, "objection")
        for outcome in (False, "  \n "):
            acceptance.with_user(self.user).objection_outcome = outcome
            with self.assertRaisesExactly(UserError, "Write the outcome of the objection"):
                acceptance.with_user(self.user).action_close_objection()
            acceptance.invalidate_recordset()
            self.assertEqual(acceptance.state, "objection")
            self.assertFalse(acceptance.objection_closed_at)
        acceptance.with_user(self.user).objection_outcome = "已更正第 3 页并重新提交"
        acceptance.with_user(self.user).action_close_objection()
        self.assertEqual(acceptance.state, "objection_closed")
