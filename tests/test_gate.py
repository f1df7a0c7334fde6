from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import PNG_1PX, TsqCase


@tagged("post_install", "-at_install")
class TestGate(TsqCase):
    """Stage gates: every path that changes the stage goes through them."""

    def test_s1_gate_names_every_missing_item(self):
        service = self._new_service()
        with self.assertRaises(ValidationError) as err:
            service.with_user(self.user).action_pass_gate()
        message = str(err.exception)
        for expected in (
            "The first response to the client",
            "The needs analysis",
            "A feasibility assessment",
            "Checklist item not done: Inquiry registered",
            "Approval missing: Feasibility approved",
        ):
            self.assertIn(expected, message)
        self.assertEqual(service.service_stage, "s1")
        self.assertFalse(service.gate_passage_ids)

    def test_gate_passes_when_complete_and_records_passage(self):
        service = self._new_service()
        self._fill_stage(service)
        self._do_items(service)
        service.with_user(self.user).action_pass_gate()
        self.assertEqual(service.service_stage, "s2")
        passage = service.gate_passage_ids
        self.assertEqual(len(passage), 1)
        self.assertEqual(
            (passage.from_stage, passage.to_stage, passage.direction), ("s1", "s2", "forward")
        )
        self.assertEqual(passage.user_id, self.user)
        self.assertEqual(len(passage.item_ids), 2)
        self.assertTrue(all(passage.item_ids.mapped("locked")))

    def test_every_path_is_gated(self):
        """write() and RPC-style writes hit the same gate as the button."""
        service = self._new_service()
        with self.assertRaises(ValidationError):
            service.with_user(self.user).write({"service_stage": "s2"})
        with self.assertRaises(ValidationError):
            # what a kanban drag or an RPC call sends
            self.env["project.project"].with_user(self.manager).browse(service.id).web_save(
                {"service_stage": "s2"}, specification={"service_stage": {}}
            )
        self.assertEqual(service.service_stage, "s1")

    def test_no_skipping_stages(self):
        service = self._new_service()
        self._fill_stage(service)
        self._do_items(service)
        with self.assertRaisesExactly(UserError, "one stage at a time"):
            service.with_user(self.user).write({"service_stage": "s3"})

    def test_service_created_in_later_stage_refused(self):
        with self.assertRaisesExactly(UserError):
            self._new_service(service_stage="s4")

    def test_approval_by_wrong_group_refused(self):
        service = self._new_service()
        approval = service.gate_item_ids.filtered(lambda i: i.kind == "approval")
        with self.assertRaisesRegex(ValidationError, "Only a member of"):
            approval.with_user(self.user2).write({"done": True})
        self.assertFalse(approval.done)

    def test_approval_by_the_doer_refused(self):
        service = self._new_service()
        work = service.gate_item_ids.filtered(lambda i: i.kind == "check" and i.stage == "s1")
        work.with_user(self.manager).write({"done": True})
        approval = service.gate_item_ids.filtered(lambda i: i.kind == "approval")
        with self.assertRaisesRegex(ValidationError, "cannot also approve"):
            approval.with_user(self.manager).write({"done": True})
        approval.with_user(self.manager2).write({"done": True})
        self.assertEqual(approval.done_by_id, self.manager2)

    def test_who_and_when_cannot_be_forged(self):
        service = self._new_service()
        item = service.gate_item_ids.filtered(lambda i: i.kind == "check")[:1]
        with self.assertRaisesExactly(UserError):
            item.with_user(self.user).write({"done": True, "done_by_id": self.manager.id})
        item.with_user(self.user).write({"done": True})
        self.assertEqual(item.done_by_id, self.user)

    def test_document_item_needs_evidence(self):
        service = self._advance(self._new_service(), "s3")
        doc = service.gate_item_ids.filtered(lambda i: i.kind == "document" and i.stage == "s3")
        with self.assertRaisesRegex(ValidationError, "evidence"):
            doc.with_user(self.user).write({"done": True})
        doc.with_user(self.user).attachment_ids = [Command.link(self._attachment().id)]
        doc.with_user(self.user).write({"done": True})
        self.assertTrue(doc.done)

    def test_gate_records_are_immutable(self):
        service = self._advance(self._new_service(), "s2")
        passage = service.gate_passage_ids
        with self.assertRaisesExactly(UserError):
            passage.write({"reason": "rewrite history"})
        with self.assertRaisesExactly(UserError):
            passage.sudo().write({"reason": "rewrite history"})
        with self.assertRaisesExactly(UserError):
            passage.sudo().unlink()
        locked = passage.item_ids[:1]
        with self.assertRaisesExactly(UserError):
            locked.with_user(self.user).write({"evidence_note": "later"})
        with self.assertRaisesExactly(UserError):
            locked.sudo().unlink()
        with self.assertRaises(AccessError):
            self.env["tsq.gate.passage"].with_user(self.user).create(
                {
                    "service_id": service.id,
                    "from_stage": "s2",
                    "to_stage": "s3",
                    "direction": "forward",
                }
            )

    def test_passed_stage_fields_are_locked(self):
        service = self._advance(self._new_service(), "s2")
        with self.assertRaisesExactly(UserError, "Move the service back"):
            service.with_user(self.user).write({"feasibility_reason": "changed later"})

    def test_move_back_needs_reason_and_is_recorded(self):
        service = self._advance(self._new_service(), "s3")
        with self.assertRaisesExactly(UserError, "needs a reason"):
            service.with_user(self.user).write({"service_stage": "s2"})
        wizard = (
            self.env["tsq.stage.move.wizard"]
            .with_user(self.user)
            .create(
                {
                    "service_id": service.id,
                    "mode": "back",
                    "target_stage": "s2",
                    "reason": "客户要求调整方案",
                }
            )
        )
        wizard.action_confirm()
        self.assertEqual(service.service_stage, "s2")
        back = service.gate_passage_ids.filtered(lambda p: p.direction == "back")
        self.assertEqual(back.reason, "客户要求调整方案")
        self.assertEqual(len(service.gate_passage_ids), 3)

    def test_declined_inquiry_ends_with_reason(self):
        service = self._new_service()
        service.with_user(self.user).write(
            {
                "feasibility": "decline",
                "feasibility_reason": "超出本机构资质范围",
                "feasibility_user_id": self.manager.id,
            }
        )
        service.with_user(self.user).action_decline()
        self.assertEqual(service.service_stage, "declined")
        self.assertEqual(service.close_reason, "超出本机构资质范围")
        with self.assertRaisesExactly(UserError):
            service.with_user(self.manager).write({"service_stage": "s2"})

    def test_cancel_keeps_records(self):
        service = self._advance(self._new_service(), "s2")
        with self.assertRaisesExactly(UserError, "reason"):
            service.with_user(self.user).write({"service_stage": "cancelled"})
        service.with_user(self.user).with_context(tsq_stage_reason="客户取消").write(
            {"service_stage": "cancelled"}
        )
        self.assertEqual(service.service_stage, "cancelled")
        self.assertEqual(len(service.gate_passage_ids), 2)
        with self.assertRaisesExactly(UserError):
            service.unlink()

    def test_full_lifecycle_to_closed(self):
        service = self._advance(self._new_service(), "done")
        self.assertEqual(service.service_stage, "done")
        self.assertEqual(
            service.gate_passage_ids.sorted("id").mapped("to_stage"),
            ["s2", "s3", "s4", "s5", "s6", "done"],
        )
        self.assertEqual(service.acceptance_state, "accepted")
        feedback = self.env["tsq.feedback"].search([("service_id", "=", service.id)])
        self.assertEqual((feedback.occasion, feedback.score), ("return_visit", 5))

    def test_s3_contract_before_work(self):
        service = self._advance(self._new_service(), "s3")
        self._do_items(service)
        with self.assertRaises(ValidationError) as err:
            service.with_user(self.user).action_pass_gate()
        message = str(err.exception)
        self.assertIn("Contract term: Intellectual property", message)
        self.assertIn("The signed contract document", message)
        self.assertEqual(service.service_stage, "s3")

    def test_change_request_needs_approval_and_consent(self):
        service = self._advance(self._new_service(), "s4")
        change = (
            self.env["tsq.change.request"]
            .with_user(self.user)
            .create({"service_id": service.id, "name": "增加一件申请", "impact": "scope"})
        )
        self._fill_stage(service)
        self._do_items(service)
        with self.assertRaisesRegex(ValidationError, "Change request not settled"):
            service.with_user(self.user).action_pass_gate()
        with self.assertRaisesExactly(AccessError, "Only a service manager"):
            change.with_user(self.user).action_approve()
        change.with_user(self.manager).action_approve()
        with self.assertRaisesExactly(UserError, "consent"):
            change.with_user(self.user).action_record_consent()
        change.with_user(self.user).consent_attachment_ids = [Command.link(self._attachment().id)]
        change.with_user(self.user).action_record_consent()
        service.with_user(self.user).action_pass_gate()
        self.assertEqual(service.service_stage, "s5")

    def test_gate_passes_again_after_moving_back(self):
        """Regression: a service moved back could never pass that gate again.
        Moving back reopens the stage: the recorded checklist stays as history,
        a fresh one (with a fresh approval) is needed to pass again."""
        service = self._advance(self._new_service(), "s2")
        first = service.gate_passage_ids.filtered(lambda p: p.from_stage == "s1")
        service.with_user(self.user).with_context(tsq_stage_reason="需求需重新评估").write(
            {"service_stage": "s1"}
        )
        fresh = service.gate_item_ids.filtered(lambda i: i.stage == "s1")
        self.assertTrue(fresh)
        self.assertFalse(any(fresh.mapped("done")) or any(fresh.mapped("locked")))
        self.assertTrue(all(first.item_ids.mapped("locked")))
        self.assertTrue(all(first.item_ids.mapped("superseded")))
        with self.assertRaises(ValidationError):
            service.with_user(self.user).action_pass_gate()
        self._do_items(service)
        service.with_user(self.user).action_pass_gate()
        self.assertEqual(service.service_stage, "s2")
        self.assertEqual(
            service.gate_passage_ids.sorted("id").mapped("direction"),
            ["forward", "back", "forward"],
        )

    def test_moving_one_service_keeps_the_others_clock(self):
        """Regression: a write moving some services reset every service's
        stage clock, the ones that did not move included."""
        moving = self._new_service(name="移动的服务")
        staying = self._advance(self._new_service(name="不动的服务"), "s2")
        entered = staying.stage_entered_at
        self._fill_stage(moving)
        self._do_items(moving)
        with freeze_time("2030-01-01 00:00:00"):
            (moving | staying).with_user(self.user).write({"service_stage": "s2"})
        self.assertEqual(moving.service_stage, "s2")
        self.assertEqual(moving.stage_entered_at, datetime(2030, 1, 1))
        self.assertEqual(staying.stage_entered_at, entered)

    def test_confirmed_plan_milestones_are_locked(self):
        """The milestones belong to the plan the client confirmed (S2): after its
        gate only their reached date changes; re-planning needs a move back."""
        service = self._advance(self._new_service(), "s3")
        milestone = service.service_milestone_ids
        for change in (
            lambda: milestone.with_user(self.user).write({"planned_date": "2026-12-31"}),
            lambda: (
                self.env["tsq.milestone"]
                .with_user(self.user)
                .create({"service_id": service.id, "name": "新增", "planned_date": "2026-04-01"})
            ),
            lambda: milestone.with_user(self.user).unlink(),
        ):
            with self.assertRaisesExactly(UserError, "Move the service back"):
                change()
        milestone.with_user(self.user).write({"done_date": "2026-03-18", "note": "按期完成"})
        self.assertEqual(str(milestone.done_date), "2026-03-18")

    def test_handed_over_deliverable_is_frozen(self):
        service = self._advance(self._new_service(), "s5")
        acceptance = self._submit_for_acceptance(service, "检索报告")
        deliverable = acceptance.deliverable_ids
        with self.assertRaisesExactly(UserError, "revised deliverable"):
            deliverable.with_user(self.user).write({"name": "改过的报告"})
        with self.assertRaisesExactly(UserError):
            deliverable.with_user(self.user).unlink()

    def test_decisions_only_at_the_delivery_stage(self):
        """The model, not only the portal, refuses to decide a submission once
        the service has left S5, and a visit on a service never delivered."""
        service = self._advance(self._new_service(), "s5")
        acceptance = self._submit_for_acceptance(service)
        service.with_user(self.user).with_context(tsq_stage_reason="补充交付物").write(
            {"service_stage": "s4"}
        )
        with self.assertRaisesExactly(UserError, "delivery stage"):
            acceptance.sudo()._accept("甲联系人", PNG_1PX, "recorded")
        with self.assertRaisesExactly(UserError, "delivery stage"):
            acceptance.sudo()._raise_objection("不符合", "recorded")
        self.assertEqual(acceptance.state, "submitted")

    def test_return_visit_of_cancelled_service_refused(self):
        service = self._advance(self._new_service(), "s6")
        visit = service.return_visit_ids
        service.with_user(self.user).with_context(tsq_stage_reason="客户终止合作").write(
            {"service_stage": "cancelled"}
        )
        with self.assertRaisesExactly(UserError, "not delivered"):
            visit.with_user(self.user)._record("5", "好", "phone")
        self.assertFalse(visit.done_at)
