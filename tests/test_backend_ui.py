from odoo.tests import HttpCase, tagged

from .common import TsqCase


@tagged("post_install", "-at_install")
class TestBackendUi(HttpCase, TsqCase):
    """The back end as a manager uses it, in headless Chromium."""

    def test_tour_pass_gate(self):
        service = self._new_service()
        self._fill_stage(service)
        work = service.gate_item_ids.filtered(lambda i: i.stage == "s1" and i.kind != "approval")
        work.with_user(self.user).write({"done": True})
        self.start_tour(
            f"/odoo/action-tech_service_quality.project_project_action_services/{service.id}",
            "tsq_backend_pass_gate",
            login="tsq_manager",
        )
        self.assertEqual(service.service_stage, "s2")
        passage = service.gate_passage_ids
        self.assertEqual(passage.user_id, self.manager)
        approval = service.gate_item_ids.filtered(
            lambda i: i.kind == "approval" and i.stage == "s1"
        )
        self.assertEqual(approval.done_by_id, self.manager)
        self.assertTrue(approval.locked)


@tagged("post_install", "-at_install")
class TestListQueries(TsqCase):
    """The services list costs the same number of queries for 10 or 1,000 services."""

    def _list_queries(self):
        fields_spec = {
            "name": {},
            "partner_id": {"fields": {"display_name": {}}},
            "service_category_id": {"fields": {"display_name": {}}},
            "user_id": {"fields": {"display_name": {}}},
            "service_team_id": {"fields": {"display_name": {}}},
            "service_stage": {},
            "stage_deadline": {},
            "stage_deadline_provisional": {},
            "stage_deadline_note": {},
            "is_stage_late": {},
            "contract_delivery_date": {},
            "acceptance_state": {},
        }
        Project = self.env["project.project"].with_user(self.manager)
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        # what the list view does for its rows (the pager's one COUNT aside)
        records = Project.search([("is_service", "=", True)], limit=80)
        self.assertTrue(records.web_read(fields_spec))
        return self.env.cr.sql_log_count - before

    def _create_services(self, count):
        self.env["project.project"].create(
            [
                {
                    "name": f"服务 {i}",
                    "is_service": True,
                    "partner_id": (self.client_a if i % 2 else self.client_b).id,
                    "service_category_id": self.category.id,
                    "user_id": (self.user if i % 3 else self.user2).id,
                }
                for i in range(count)
            ]
        )

    def test_list_query_count_does_not_grow(self):
        self._create_services(10)
        self._list_queries()  # warm the registry caches (rules, access rights)
        small = self._list_queries()
        self._create_services(990)
        large = self._list_queries()
        self.assertEqual(small, large, "the list must not query once per service")
