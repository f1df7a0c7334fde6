"""The demo agency: every category and every stage of the lifecycle is shown,
and the demo services went through the real gates."""

from odoo import fields
from odoo.tests import tagged
from odoo.tests.common import TransactionCase

from ..lib.stages import SERVICE_STAGES


@tagged("post_install", "-at_install")
class TestDemo(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.demo_user = cls.env.ref(
            "tech_service_quality.user_zhang_wei_demo", raise_if_not_found=False
        )
        cls.Service = cls.env["project.project"].with_context(active_test=False)
        cls.services = cls.Service.search([("is_service", "=", True)])

    def setUp(self):
        super().setUp()
        if not self.demo_user:
            self.skipTest("The demo data of tech_service_quality is not installed.")

    def test_every_category_has_a_service(self):
        categories = self.env["tsq.service.category"].search(
            [("id", "in", self._demo_category_ids())]
        )
        self.assertEqual(len(categories), 8)
        for category in categories:
            self.assertTrue(
                self.services.filtered(lambda s, c=category: s.service_category_id == c),
                f"no demo service in {category.name}",
            )

    def _demo_category_ids(self):
        codes = ("policy", "transfer", "ip", "rnd", "tic", "incubation", "digital", "financing")
        return [self.env.ref(f"tech_service_quality.service_category_{code}").id for code in codes]

    def test_every_stage_is_shown(self):
        present = set(self.services.mapped("service_stage"))
        for code, _label in SERVICE_STAGES:
            self.assertIn(code, present, f"no demo service in stage {code}")

    def test_late_service(self):
        self.assertGreaterEqual(self.Service.search_count([("is_stage_late", "=", True)]), 1)
        late = self.Service.search([("is_stage_late", "=", True)])
        now = fields.Datetime.now()
        self.assertTrue(all(s.stage_deadline < now for s in late))

    def test_objections(self):
        Acceptance = self.env["tsq.acceptance"]
        self.assertGreaterEqual(Acceptance.search_count([("state", "=", "objection")]), 1)
        self.assertTrue(self.services.filtered(lambda s: s.acceptance_state == "objection"))
        # an objection closed, then a new submission accepted
        closed = Acceptance.search([("state", "=", "objection_closed")])
        self.assertTrue(closed)
        for acceptance in closed:
            later = acceptance.service_id.acceptance_ids.filtered(
                lambda a, s=acceptance.sequence: a.sequence > s
            )
            self.assertIn("accepted", later.mapped("state"))

    def test_closed_services_passed_six_gates(self):
        closed = self.services.filtered(lambda s: s.service_stage == "done")
        self.assertTrue(closed)
        for service in closed:
            forward = service.gate_passage_ids.filtered(lambda p: p.direction == "forward")
            self.assertEqual(len(forward), 6, service.name)
            self.assertEqual(
                sorted(forward.mapped("from_stage")), ["s1", "s2", "s3", "s4", "s5", "s6"]
            )
            # the story's moments are in order: received, answered, gates, visit
            dates = forward.sorted("date").mapped("date")
            self.assertLess(service.inquiry_received_at, service.first_response_at)
            self.assertLess(service.first_response_at, dates[0])
            self.assertLessEqual(service.accepted_at, dates[-1])
            visit = service.return_visit_ids.filtered("done_at")
            self.assertTrue(visit)
            self.assertLessEqual(visit[0].done_at, dates[-1])
            feedback = self.env["tsq.feedback"].search(
                [("service_id", "=", service.id), ("occasion", "=", "return_visit")]
            )
            self.assertEqual(feedback.submitted_at, visit[0].done_at)

    def test_approvals_not_by_the_doer(self):
        items = self.env["tsq.gate.item"].search(
            [
                ("service_id", "in", self.services.ids),
                ("kind", "=", "approval"),
                ("done", "=", True),
            ]
        )
        self.assertTrue(items)
        for item in items:
            self.assertFalse(item._gate_problem(), item.name)
            self.assertNotIn(item.done_by_id, item._doers())

    def test_declined_and_cancelled_have_reasons(self):
        for stage in ("declined", "cancelled"):
            for service in self.services.filtered(lambda s, st=stage: s.service_stage == st):
                self.assertTrue(service.close_reason)
        moved_back = self.env["tsq.gate.passage"].search(
            [("service_id", "in", self.services.ids), ("direction", "=", "back")]
        )
        self.assertTrue(moved_back)
        self.assertTrue(all(moved_back.mapped("reason")))
