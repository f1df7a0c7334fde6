"""Shared fixtures: an agency of our own (never the demo data), two client
companies with portal users, staff at each rung of the group ladder, and a
helper that walks a service through the real gates to any stage."""

import base64
import contextlib
from datetime import datetime
from urllib.parse import parse_qs, urlparse

from odoo import Command, fields, http
from odoo.tests import HttpCase, new_test_user
from odoo.tests.common import TransactionCase

# A tiny valid PNG, used as a drawn signature.
PNG_1PX = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)

# The terms of the test service categories.
CATEGORY_TERMS = {
    "response_time": 24,
    "response_unit": "clock_hours",
    "return_visit_days": 30,
    "objection_days": 5,
}


def plan_values():
    """A complete service plan (S2), as staff write it."""
    return {
        "plan_objectives": "形成专利组合",
        "plan_scope": "检索、撰写、申请",
        "plan_content": "<p>三阶段实施</p>",
        "plan_deliverables": "检索报告、申请文件",
        "plan_fee": 50000,
        "plan_risks": "审查周期不确定",
        "service_milestone_ids": [
            Command.create({"name": "检索报告", "planned_date": "2026-03-20"}),
        ],
    }


class TsqCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(
                cls.env.context,
                tracking_disable=True,
                mail_create_nolog=True,
                mail_notrack=True,
                no_reset_password=True,
            )
        )
        cls.company = cls.env.company
        cls.company.partner_id.tz = "Asia/Shanghai"
        cls._setup_calendar()
        cls._setup_users()
        cls._setup_clients()
        cls._setup_category()

    @classmethod
    def _setup_calendar(cls):
        """The company's working calendar: 9-12 and 13-18, Monday to Friday."""
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "TSQ test calendar 9-12 13-18",
                "tz": "Asia/Shanghai",
                "company_id": cls.company.id,
                "attendance_ids": [
                    Command.create(
                        {
                            "name": f"d{d}{p}",
                            "dayofweek": str(d),
                            "hour_from": f,
                            "hour_to": t,
                            "day_period": p,
                        }
                    )
                    for d in range(5)
                    for f, t, p in ((9, 12, "morning"), (13, 18, "afternoon"))
                ],
            }
        )
        cls.company.write({"tsq_calendar_id": cls.calendar.id, "tsq_day_limit_end": "midnight"})

    @classmethod
    def _setup_users(cls):
        """Staff at each rung of the group ladder."""
        grp = "tech_service_quality.group_tsq_"
        cls.user = new_test_user(cls.env, "tsq_user", groups=grp + "user", name="张工 (user)")
        cls.user2 = new_test_user(cls.env, "tsq_user2", groups=grp + "user", name="李工 (user 2)")
        cls.outsider = new_test_user(
            cls.env, "tsq_outsider", groups=grp + "user", name="王工 (outsider)"
        )
        cls.manager = new_test_user(
            cls.env, "tsq_manager", groups=grp + "manager", name="赵经理 (manager)"
        )
        cls.manager2 = new_test_user(
            cls.env, "tsq_manager2", groups=grp + "manager", name="钱经理 (manager 2)"
        )
        cls.quality = new_test_user(
            cls.env, "tsq_quality", groups=grp + "quality_manager", name="孙质量 (quality)"
        )

    @classmethod
    def _setup_clients(cls):
        """Two client companies, each with a contact who is a portal user."""
        Partner = cls.env["res.partner"]
        cls.client_a = Partner.create({"name": "甲公司 Client A", "is_company": True})
        cls.client_b = Partner.create({"name": "乙公司 Client B", "is_company": True})
        cls.contact_a = Partner.create(
            {"name": "甲联系人", "parent_id": cls.client_a.id, "email": "a@example.com"}
        )
        cls.contact_b = Partner.create(
            {"name": "乙联系人", "parent_id": cls.client_b.id, "email": "b@example.com"}
        )
        cls.portal_a = new_test_user(
            cls.env, "portal_a", groups="base.group_portal", partner_id=cls.contact_a.id
        )
        cls.portal_b = new_test_user(
            cls.env, "portal_b", groups="base.group_portal", partner_id=cls.contact_b.id
        )

    @classmethod
    def _setup_category(cls):
        """A service category with a check, an approval and a document gate item."""
        grp = "tech_service_quality.group_tsq_"
        cls.category = cls.env["tsq.service.category"].create(
            {
                "name": "Test IP services",
                "code": "TIP",
                **CATEGORY_TERMS,
                "gate_template_ids": [
                    Command.create(
                        {
                            "stage": "s1",
                            "sequence": 10,
                            "name": "Inquiry registered",
                            "kind": "check",
                        }
                    ),
                    Command.create(
                        {
                            "stage": "s1",
                            "sequence": 90,
                            "name": "Feasibility approved",
                            "kind": "approval",
                            "approver_group_id": cls.env.ref(grp + "manager").id,
                        }
                    ),
                    Command.create(
                        {
                            "stage": "s3",
                            "sequence": 20,
                            "name": "Power of attorney",
                            "kind": "document",
                            "evidence_required": True,
                        }
                    ),
                ],
            }
        )

    # ------------------------------------------------------------------ helpers
    @contextlib.contextmanager
    def assertRaisesExactly(self, exception, regex=None):
        """``assertRaises`` that fails when a subclass of ``exception`` is raised:
        AccessError, ValidationError and MissingError are all UserErrors, so a bare
        ``assertRaises(UserError)`` passes whichever guard refused. ``regex``, when
        given, must match the message. Rolls back like Odoo's ``assertRaises``."""
        with self.assertRaises(exception) as caught:
            yield caught
        raised = type(caught.exception)
        self.assertIs(
            raised,
            exception,
            f"{exception.__name__} expected, {raised.__name__} raised: {caught.exception}",
        )
        if regex is not None:
            self.assertRegex(str(caught.exception), regex)

    @classmethod
    def _attachment(cls, name="evidence.pdf", content=b"%PDF-1.4 evidence"):
        return cls.env["ir.attachment"].create(
            {"name": name, "datas": base64.b64encode(content), "res_model": "project.project"}
        )

    @classmethod
    def _new_service(cls, client=None, user=None, name="专利布局服务", **vals):
        user = user or cls.user
        return (
            cls.env["project.project"]
            .with_user(user)
            .create(
                {
                    "name": name,
                    "is_service": True,
                    "partner_id": (client or cls.client_a).id,
                    "service_category_id": cls.category.id,
                    "user_id": user.id,
                    "inquiry_received_at": datetime(2026, 2, 13, 8, 0),
                    **vals,
                }
            )
            .with_user(cls.env.user)
        )

    @classmethod
    def _do_items(cls, service, doer=None, approver=None):
        """Complete the current gate's checklist: work by ``doer``, approvals
        by ``approver``, evidence attached where required."""
        doer = doer or cls.user
        approver = approver or cls.manager
        items = service.gate_item_ids.filtered(lambda i: i.stage == service.service_stage)
        for item in items.filtered(lambda i: i.kind != "approval"):
            if item.evidence_required:
                item.with_user(doer).attachment_ids = [Command.link(cls._attachment().id)]
            item.with_user(doer).write({"done": True})
        for item in items.filtered(lambda i: i.kind == "approval"):
            item.with_user(approver).write({"done": True})

    @classmethod
    def _inquiry_values(cls):
        """What staff record of an inquiry (S1)."""
        return {
            "first_response_at": datetime(2026, 2, 13, 9, 0),
            "needs_analysis": "<p>需要布局核心专利</p>",
            "feasibility": "accept",
            "feasibility_reason": "团队有相关经验",
            "feasibility_user_id": cls.manager.id,
        }

    @classmethod
    def _contract_values(cls, service):
        """A signed contract (S3): every term checked, its file attached."""
        vals = {name: True for name in service._fields if name.startswith("term_")}
        vals.update(
            contract_ref="HT-2026-001",
            contract_signed_date="2026-03-01",
            contract_delivery_date="2026-06-30",
            contract_attachment_ids=[Command.link(cls._attachment("contract.pdf").id)],
        )
        return vals

    @classmethod
    def _fill_stage(cls, service):
        """Fill what the standard requires of the current stage (built-in part)."""
        stage = service.service_stage
        as_user = service.with_user(cls.user)
        if stage == "s1":
            as_user.write(cls._inquiry_values())
        elif stage == "s2":
            as_user.write(plan_values())
            service.sudo()._tsq_confirm_plan("甲联系人", "portal")
        elif stage == "s3":
            as_user.write(cls._contract_values(service))
        elif stage == "s4":
            service.service_milestone_ids.with_user(cls.user).write({"done_date": "2026-03-18"})
            report = (
                cls.env["tsq.progress.report"]
                .with_user(cls.user)
                .create({"service_id": service.id, "summary": "<p>检索完成</p>"})
            )
            report.action_send()
        elif stage == "s5":
            acceptance = cls._submit_for_acceptance(service, "专利申请文件")
            acceptance.sudo()._accept("甲联系人", PNG_1PX, "portal")
        elif stage == "s6":
            visit = service.return_visit_ids[:1]
            visit.with_user(cls.user)._record("5", "很满意", "phone")

    @classmethod
    def _submit_for_acceptance(cls, service, name="报告"):
        """Hand over a deliverable of a service in S5 and submit it: the
        submission awaits the client's decision."""
        cls.env["tsq.deliverable"].with_user(cls.user).create(
            {"service_id": service.id, "name": name}
        ).action_hand_over()
        return cls.env["tsq.acceptance"].with_user(cls.user).create({"service_id": service.id})

    @classmethod
    def _advance(cls, service, to_stage):
        """Walk ``service`` through the real gates until it reaches ``to_stage``."""
        order = ["s1", "s2", "s3", "s4", "s5", "s6", "done"]
        while order.index(service.service_stage) < order.index(to_stage):
            cls._fill_stage(service)
            cls._do_items(service)
            service.with_user(cls.user).action_pass_gate()
        return service

    @staticmethod
    def _now():
        return fields.Datetime.now()


class TsqHttpCase(TsqCase, HttpCase):
    """The fixtures of :class:`TsqCase` in an :class:`HttpCase` (MRO: TsqCase's
    setUpClass calls HttpCase's, which enters the registry's test mode)."""

    def url_open(self, url, *args, **kwargs):
        # the server reads the database: write what the test changed first
        self.env.flush_all()
        return super().url_open(url, *args, **kwargs)

    # ----------------------------------------------------------- http helpers
    def _post(self, url, files=None, allow_redirects=True, **data):
        data["csrf_token"] = http.Request.csrf_token(self)
        return self.url_open(url, data=data, files=files, allow_redirects=allow_redirects)

    def _call_kw(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def _assert_refused(self, response):
        """A refusal looks like a missing record: 404, or a redirect to /my."""
        if response.status_code == 404:
            return
        self.assertIn(response.status_code, (302, 303), response.text[:300])
        self.assertEqual(urlparse(response.headers["Location"]).path, "/my")

    def _assert_error(self, response, code, message):
        """Redirected back to the service page with ``?error=code``, the
        message shown, no traceback."""
        self.assertEqual(response.status_code, 200)
        self.assertEqual(parse_qs(urlparse(response.url).query).get("error"), [code])
        self.assertIn(message, response.text)
        self.assertNotIn("Traceback", response.text)

    @classmethod
    def _plan_ready(cls, service):
        """Walk ``service`` to S2 and complete the plan, without the client's
        confirmation."""
        cls._advance(service, "s2")
        service.with_user(cls.user).write(plan_values())
        return service

    @classmethod
    def _awaiting_acceptance(cls, service):
        """Walk ``service`` to S5, hand a deliverable over and submit it."""
        cls._advance(service, "s5")
        deliverable = (
            cls.env["tsq.deliverable"]
            .with_user(cls.user)
            .create(
                {
                    "service_id": service.id,
                    "name": "检索报告 Search report",
                    "attachment_ids": [
                        Command.link(cls._attachment("report.pdf", b"%PDF-1.4 report").id)
                    ],
                }
            )
        )
        deliverable.with_user(cls.user).action_hand_over()
        return cls.env["tsq.acceptance"].with_user(cls.user).create({"service_id": service.id})
