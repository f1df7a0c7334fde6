from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import PNG_1PX, TsqCase


@tagged("post_install", "-at_install")
class TestSecurity(TsqCase):
    """Who sees and changes what (R4.1.4): the group ladder, record rules and the
    fields only the workflow may write."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.service_a = cls._new_service(name="A 的服务")
        cls.service_b = cls._new_service(client=cls.client_b, user=cls.user2, name="B 的服务")

    def test_service_user_sees_only_services_they_work_on(self):
        Project = self.env["project.project"].with_user(self.user)
        self.assertEqual(Project.search([("is_service", "=", True)]), self.service_a)
        with self.assertRaises(AccessError):
            self.service_b.with_user(self.user).read(["name"])
        outsider = self.env["project.project"].with_user(self.outsider)
        self.assertFalse(outsider.search([("is_service", "=", True)]))

    def test_staff_member_gets_access(self):
        self.service_b.write({"service_member_ids": [Command.link(self.user.id)]})
        self.assertIn(self.service_b, self.env["project.project"].with_user(self.user).search([]))

    def test_manager_sees_all_services(self):
        found = (
            self.env["project.project"].with_user(self.manager).search([("is_service", "=", True)])
        )
        self.assertLessEqual(self.service_a | self.service_b, found)

    def test_service_user_cannot_modify_ordinary_projects(self):
        project = self.env["project.project"].create(
            {"name": "内部项目", "privacy_visibility": "employees"}
        )
        with self.assertRaises(AccessError):
            project.with_user(self.user).write({"name": "changed"})

    def test_service_visibility_cannot_be_widened(self):
        with self.assertRaisesExactly(UserError):
            self.service_a.with_user(self.user).write({"privacy_visibility": "portal"})

    def test_portal_user_reads_only_own_company(self):
        Project = self.env["project.project"].with_user(self.portal_a)
        self.assertEqual(Project.search([]), self.service_a)
        with self.assertRaises(AccessError):
            self.service_b.with_user(self.portal_a).read(["name"])
        with self.assertRaises(AccessError):
            self.service_a.with_user(self.portal_a).write({"name": "x"})
        for model in ("tsq.gate.item", "tsq.gate.passage", "tsq.feedback", "tsq.change.request"):
            with self.assertRaises(AccessError):
                self.env[model].with_user(self.portal_a).search([])

    def test_portal_user_cannot_create_or_write_records(self):
        with self.assertRaises(AccessError):
            self.env["tsq.acceptance"].with_user(self.portal_a).create(
                {"service_id": self.service_a.id}
            )
        with self.assertRaises(AccessError):
            self.env["project.project"].with_user(self.portal_a).create(
                {"name": "x", "is_service": True, "partner_id": self.client_a.id}
            )

    def test_workflow_fields_cannot_be_forged(self):
        service = self._advance(self._new_service(), "s2")
        with self.assertRaisesExactly(UserError):
            service.with_user(self.user).write({"plan_confirmed_at": "2026-01-01 00:00:00"})
        with self.assertRaisesExactly(UserError):
            service.with_user(self.user).write({"stage_entered_at": "2026-01-01 00:00:00"})
        service = self._advance(service, "s4")
        change = (
            self.env["tsq.change.request"]
            .with_user(self.user)
            .create({"service_id": service.id, "name": "改期"})
        )
        with self.assertRaisesExactly(UserError):
            change.with_user(self.user).write({"state": "consented"})
        report = (
            self.env["tsq.progress.report"]
            .with_user(self.user)
            .create({"service_id": service.id, "summary": "<p>x</p>"})
        )
        with self.assertRaisesExactly(UserError):
            report.with_user(self.user).write({"sent_at": "2026-01-01 00:00:00"})

    def test_acceptance_decision_is_frozen(self):
        service = self._advance(self._new_service(), "s5")
        acceptance = self._submit_for_acceptance(service)
        with self.assertRaisesExactly(UserError):
            acceptance.with_user(self.user).write({"state": "accepted"})
        acceptance.sudo()._accept("甲联系人", PNG_1PX, "portal")
        with self.assertRaisesExactly(UserError):
            acceptance.with_user(self.manager).write({"signed_by": "someone else"})
        with self.assertRaisesExactly(UserError):
            acceptance.sudo().unlink()
        feedback_before = self.env["tsq.feedback"].search_count([])
        visit = service.return_visit_ids
        with self.assertRaisesExactly(UserError):
            visit.with_user(self.user).write({"done_at": "2026-01-01 00:00:00"})
        self.assertEqual(self.env["tsq.feedback"].search_count([]), feedback_before)

    def test_multi_company(self):
        other = self.env["res.company"].create({"name": "分公司"})
        manager_other = self.env["res.users"].create(
            {
                "name": "分公司经理",
                "login": "tsq_mgr_other",
                "company_id": other.id,
                "company_ids": [Command.set(other.ids)],
                "groups_id": [
                    Command.link(self.env.ref("tech_service_quality.group_tsq_manager").id)
                ],
            }
        )
        found = (
            self.env["project.project"].with_user(manager_other).search([("is_service", "=", True)])
        )
        self.assertNotIn(self.service_a, found)
        items = self.env["tsq.gate.item"].with_user(manager_other).search([])
        self.assertFalse(items & self.service_a.gate_item_ids)
