import io
from datetime import date, timedelta

import openpyxl

from odoo import Command
from odoo.addons.tech_service_quality.models.conformance.tsq_conformance_measure import Period
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import TsqCase

PDF = "tech_service_quality.report_conformance"
XLSX = "tech_service_quality.conformance_xlsx"


class ConformanceCase(TsqCase):
    """A company of its own (no demo record in it) for the clauses judged per
    company, and the current year as the period."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.year = date.today().year
        cls.start, cls.end = date(cls.year, 1, 1), date(cls.year, 12, 31)
        cls.agency = cls.env["res.company"].create({"name": "合规测试科技服务中心"})
        cls.agency.partner_id.tz = "Asia/Shanghai"
        for user in (cls.quality, cls.manager, cls.user):
            user.company_ids |= cls.agency
        Employee = cls.env["hr.employee"].with_company(cls.agency)
        cls.staff_a = Employee.create(
            {"name": "周工程师", "company_id": cls.agency.id, "tsq_service_staff": True}
        )
        cls.staff_b = Employee.create(
            {"name": "吴顾问", "company_id": cls.agency.id, "tsq_service_staff": True}
        )
        Undertaking = cls.env["tsq.undertaking"]
        for employee in cls.staff_a | cls.staff_b:
            for kind in ("conduct", "confidentiality"):
                Undertaking.create(
                    {
                        "employee_id": employee.id,
                        "kind": kind,
                        "signed_on": date(cls.year - 1, 6, 1),
                        "valid_to": date(cls.year + 1, 5, 31),
                    }
                )
        cls.Assessment = (
            cls.env["tsq.conformance.assessment"].with_user(cls.quality).with_company(cls.agency)
        )

    def _assess(self, kind="self", **vals):
        assessment = self.Assessment.create(
            {
                "company_id": self.agency.id,
                "kind": kind,
                "date_from": self.start,
                "date_to": self.end,
                **vals,
            }
        )
        assessment.action_compute()
        return assessment

    @staticmethod
    def _line(assessment, code):
        return assessment.line_ids.filtered(lambda li: li.code == code)


@tagged("post_install", "-at_install")
class TestConformanceMeasures(ConformanceCase):
    def test_every_clause_gets_a_line(self):
        assessment = self._assess()
        clauses = self.env["tsq.conformance.clause"].search([])
        self.assertEqual(len(clauses), 24)
        self.assertEqual(assessment.line_ids.clause_id, clauses)

    def test_undertakings_conform_then_fail_by_one_expired(self):
        assessment = self._assess()
        conduct = self._line(assessment, "R4.2.4")
        self.assertEqual((conduct.numerator, conduct.denominator), (2, 2))
        self.assertEqual(conduct.status, "conforms")
        # one confidentiality undertaking runs out before the period ends
        expired = self.staff_b.tsq_undertaking_ids.filtered(lambda u: u.kind == "confidentiality")
        expired.valid_to = date(self.year, 11, 30)
        assessment.action_compute()
        secrecy = self._line(assessment, "R4.2.5")
        self.assertEqual((secrecy.numerator, secrecy.denominator), (1, 2))
        self.assertEqual(secrecy.status, "not")  # 50 % is below the 90 % of "partly"
        self.assertEqual(secrecy._records("gap").ids, self.staff_b.ids)
        self.assertEqual(self._line(assessment, "R4.2.4").status, "conforms")
        action = secrecy.with_user(self.quality).action_open_gaps()
        self.assertEqual(action["domain"], [("id", "in", self.staff_b.ids)])

    def test_competence_is_judged_by_the_gate_rule_whatever_the_stage(self):
        """R4.2.1 counts a service as competently staffed exactly when the gate's
        staff check finds nothing, also once the service has left the open stages."""
        qtype = self.env["tsq.qualification.type"].create(
            {"name": "技术经纪人证书", "kind": "qualification"}
        )
        self.category.required_qualification_type_ids = [Command.link(qtype.id)]
        broker = self.env["hr.employee"].create(
            {
                "name": "郑经纪人",
                "company_id": self.agency.id,
                "user_id": self.user.id,
                "tsq_service_staff": True,
            }
        )
        for kind in ("conduct", "confidentiality"):
            self.env["tsq.undertaking"].create(
                {
                    "employee_id": broker.id,
                    "kind": kind,
                    "signed_on": date(self.year - 1, 6, 1),
                    "valid_to": date(self.year + 1, 5, 31),
                }
            )
        qualification = self.env["tsq.employee.qualification"].create(
            {
                "employee_id": broker.id,
                "type_id": qtype.id,
                "number": "TB-0001",
                "valid_from": date(2020, 1, 1),
            }
        )
        service = self._new_service(company_id=self.agency.id)
        line = self._line(self._assess(), "R4.2.1")
        self.assertEqual((line.numerator, line.denominator), (1, 1))
        self.assertEqual(line.status, "conforms")
        qualification.valid_to = date.today() - timedelta(days=1)
        self.assertTrue(service._tsq_staff_problems())
        line = self._line(self._assess(), "R4.2.1")
        self.assertEqual((line.numerator, line.denominator), (0, 1))
        self.assertEqual(line._records("gap"), service)
        # closed: the gate no longer checks it, the assessment still judges it
        self.env.cr.execute(
            "UPDATE project_project SET service_stage = 'done' WHERE id = %s", [service.id]
        )
        service.invalidate_recordset(["service_stage"])
        self.assertFalse(service._tsq_staff_problems())
        line = self._line(self._assess(), "R4.2.1")
        self.assertEqual((line.numerator, line.denominator), (0, 1))

    def test_thresholds_are_data(self):
        clause = self.env.ref("tech_service_quality.conformance_clause_r4_2_5")
        self.staff_b.tsq_undertaking_ids.filtered(
            lambda u: u.kind == "confidentiality"
        ).valid_to = date(self.year, 11, 30)
        clause.threshold_partial = 50.0
        self.assertEqual(self._line(self._assess(), "R4.2.5").status, "partly")
        with self.assertRaises(ValidationError):
            with self.env.cr.savepoint():
                clause.threshold_partial = 120.0
                clause.flush_recordset()

    def test_review_missing_is_a_nonconformity(self):
        line = self._line(self._assess(), "R4.1.5")
        self.assertEqual((line.numerator, line.denominator, line.status), (0, 0, "not"))
        # nothing to judge where nothing was due: not applicable
        self.assertEqual(self._line(self._assess(), "R4.3.1").status, "na")

    def test_access_rules_off_fails_information_security(self):
        rule = self.env.ref("tech_service_quality.rule_tsq_conformance_line_company")
        line = self._line(self._assess(), "R4.1.4")
        self.assertEqual(line.status, "conforms")
        self.assertEqual(line.numerator, line.denominator)
        rule.sudo().active = False
        line = self._line(self._assess(), "R4.1.4")
        self.assertEqual(line.status, "not")
        self.assertEqual(line._records("gap"), rule)

    def test_contract_measure_follows_the_evidence(self):
        service = self._advance(self._new_service(), "s4")
        period = Period.of(self.company, self.start, self.end)
        Measure = self.env["tsq.conformance.measure"]
        passage = service.gate_passage_ids.filtered(lambda p: p.from_stage == "s3")
        den, num = Measure._tsq_measure_contract(period)
        self.assertIn(passage, den)
        self.assertIn(passage, num)
        # one of the ten terms missing from the record: the passage falls short
        self._falls_short(
            service,
            ("term_ip", "UPDATE project_project SET term_ip = false WHERE id = %s"),
            Measure._tsq_measure_contract,
            passage,
        )
        # S2: the plan was confirmed before the S2 gate
        plan_den, plan_num = Measure._tsq_measure_plan(period)
        s2 = service.gate_passage_ids.filtered(lambda p: p.from_stage == "s2")
        self.assertIn(s2, plan_num)
        self._falls_short(
            service,
            (
                "plan_confirmed_at",
                "UPDATE project_project SET plan_confirmed_at = NULL WHERE id = %s",
            ),
            Measure._tsq_measure_plan,
            s2,
        )

    def _falls_short(self, service, change, measure, passage):
        """Once ``service`` is changed in SQL (``change``: the field and the UPDATE),
        ``passage`` is still judged by ``measure`` but no longer meets it."""
        field, query = change
        self.env.cr.execute(query, [service.id])
        service.invalidate_recordset([field])
        den, num = measure(Period.of(self.company, self.start, self.end))
        self.assertIn(passage, den)
        self.assertNotIn(passage, num)


@tagged("post_install", "-at_install")
class TestConformanceRecord(ConformanceCase):
    def test_finished_assessment_is_immutable_and_corrected_by_version(self):
        assessment = self._assess(head_name="陈主任")
        assessment.action_finish()
        self.assertEqual(assessment.state, "done")
        with self.assertRaises(ValidationError):
            assessment.comment = "changed"
        with self.assertRaises(ValidationError):
            assessment.line_ids[:1].comment = "changed"
        with self.assertRaises(ValidationError):
            assessment.line_ids[:1].unlink()
        with self.assertRaises(ValidationError):
            assessment.unlink()
        with self.assertRaises(ValidationError):
            assessment.action_compute()
        action = assessment.action_new_version()
        second = self.Assessment.browse(action["res_id"])
        self.assertEqual(
            (second.version, second.previous_id, second.state), (2, assessment, "draft")
        )
        self.assertEqual(len(second.line_ids), len(assessment.line_ids))

    def test_gaps_become_improvement_actions_once_per_clause_and_period(self):
        assessment = self._assess()
        review = self._line(assessment, "R4.1.5")
        self.assertEqual(review.status, "not")
        assessment.action_finish()
        self.assertTrue(review.action_id)
        self.assertEqual(review.action_id.tsq_source_kind, "conformance")
        self.assertEqual(review.action_id.company_id, self.agency)
        self.assertFalse(self._line(assessment, "R4.2.4").action_id)
        second = self.Assessment.browse(assessment.action_new_version()["res_id"])
        second.action_finish()
        self.assertEqual(self._line(second, "R4.1.5").action_id, review.action_id)
        actions = self.env["mgmtsystem.action"].search(
            [
                ("tsq_conformance_line_id.clause_id", "=", review.clause_id.id),
                ("company_id", "=", self.agency.id),
            ]
        )
        self.assertEqual(actions, review.action_id)

    def test_external_assessment_becomes_a_third_party_evaluation(self):
        assessment = self._assess(kind="external")
        with self.assertRaises(ValidationError):
            assessment.action_finish()
        assessment.evaluator_body = "省科技服务业协会"
        assessment.action_finish()
        evaluation = assessment.external_evaluation_id
        self.assertEqual(evaluation.state, "recorded")
        self.assertEqual(evaluation.body, "省科技服务业协会")
        self.assertAlmostEqual(evaluation.score, assessment.score, places=1)
        self.assertIn("R4.1.5", evaluation.findings)

    def test_rights(self):
        assessment = self._assess()
        with self.assertRaises(AccessError):
            assessment.with_user(self.user).read(["score"])
        as_manager = assessment.with_user(self.manager)
        self.assertTrue(as_manager.read(["score"]))
        with self.assertRaises(AccessError):
            as_manager.action_compute()
        with self.assertRaises(AccessError):
            as_manager.action_finish()
        with self.assertRaises(AccessError):
            as_manager.write({"comment": "x"})

    def test_yearly_job_creates_last_years_self_assessment_once(self):
        Assessment = self.env["tsq.conformance.assessment"]
        domain = [
            ("company_id", "=", self.agency.id),
            ("kind", "=", "self"),
            ("date_from", "=", date(self.year - 1, 1, 1)),
            ("date_to", "=", date(self.year - 1, 12, 31)),
        ]
        Assessment._tsq_cron_yearly()
        created = Assessment.search(domain)
        self.assertEqual(len(created), 1)
        self.assertEqual(len(created.line_ids), 24)
        Assessment._tsq_cron_yearly()
        self.assertEqual(Assessment.search(domain), created)


@tagged("post_install", "-at_install")
class TestConformanceReport(ConformanceCase, HttpCase):
    def test_pdf_renders_and_xlsx_reads_back_the_figures(self):
        assessment = self._assess(head_name="陈主任")
        assessment.action_finish()
        Report = self.env["ir.actions.report"].with_user(self.quality).with_company(self.agency)
        content, kind = Report.with_context(force_report_rendering=True)._render_qweb_pdf(
            PDF, assessment.ids
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(content.startswith(b"%PDF"))
        content, kind = Report._render(XLSX, assessment.ids)
        self.assertEqual(kind, "xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
        rows = {r[0]: r for r in sheet.iter_rows(min_row=5, values_only=True) if r[0]}
        for line in assessment.line_ids:
            self.assertEqual(rows[line.code][3], line.numerator)
            self.assertEqual(rows[line.code][4], line.denominator)

    def test_report_prints_the_chain_heads_at_its_finishing(self):
        self._advance(self._new_service(), "s3")
        assessment = (
            self.env["tsq.conformance.assessment"]
            .with_user(self.quality)
            .create(
                {
                    "company_id": self.company.id,
                    "date_from": self.start,
                    "date_to": self.end,
                }
            )
        )
        assessment.action_compute()
        assessment.action_finish()
        heads = self.company._tsq_chain_heads(at=assessment.finished_at)
        self.assertTrue(heads)
        html = (
            self.env["ir.actions.report"]
            .with_user(self.quality)
            ._render_qweb_html(PDF, assessment.ids)[0]
            .decode()
        )
        for head in heads:
            self.assertIn(head["hash"], html)

    def test_service_user_cannot_print(self):
        assessment = self._assess()
        outsider = new_test_user(
            self.env,
            "tsq_conf_user",
            groups="tech_service_quality.group_tsq_user",
            company_id=self.agency.id,
            company_ids=[self.agency.id],
        )
        with self.assertRaises(AccessError):
            self.env["ir.actions.report"].with_user(outsider).with_context(
                force_report_rendering=True
            )._render_qweb_pdf(PDF, assessment.ids)


SIGNATURE = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


class EvaluatorCase(ConformanceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.evaluator = new_test_user(
            cls.env,
            "tsq_evaluator",
            groups="base.group_user",
            name="协会评价员 Evaluator",
            company_id=cls.agency.id,
            company_ids=[cls.agency.id, cls.company.id],
        )
        cls.Grant = cls.env["tsq.evaluator.grant"].with_user(cls.quality)

    def _grant(self, company=None, days=(0, 30), **vals):
        today = date.today()
        from dateutil.relativedelta import relativedelta

        return self.Grant.with_company(company or self.agency).create(
            {
                "user_id": self.evaluator.id,
                "company_id": (company or self.agency).id,
                "body": "省科技服务业协会",
                "date_from": today + relativedelta(days=days[0]),
                "date_to": today + relativedelta(days=days[1]),
                **vals,
            }
        )


@tagged("post_install", "-at_install")
class TestEvaluatorAccess(EvaluatorCase):
    def test_reads_within_a_grant_in_force_never_writes(self):
        assessment = self._assess()
        mine = assessment.with_user(self.evaluator)
        with self.assertRaises(AccessError):
            mine.read(["score"])
        self._grant()
        self.assertTrue(self.evaluator.has_group("tech_service_quality.group_tsq_evaluator"))
        self.assertEqual(mine.read(["score"])[0]["score"], assessment.score)
        self.assertEqual(
            self.env["tsq.conformance.assessment"].with_user(self.evaluator).search([]), assessment
        )
        with self.assertRaises(AccessError):
            mine.write({"comment": "changed by the evaluator"})
        with self.assertRaises(AccessError):
            mine.action_compute()

    def test_expired_and_revoked_grants_open_nothing(self):
        assessment = self._assess()
        self._grant(days=(-60, -1))
        with self.assertRaises(AccessError):
            assessment.with_user(self.evaluator).read(["score"])
        grant = self._grant()
        assessment.with_user(self.evaluator).read(["score"])
        grant.action_revoke()
        self.assertEqual(grant.state, "revoked")
        with self.assertRaises(AccessError):
            assessment.with_user(self.evaluator).read(["score"])
        with self.assertRaises(ValidationError):
            grant.unlink()

    def test_only_a_quality_manager_grants(self):
        with self.assertRaises(AccessError):
            self.env["tsq.evaluator.grant"].with_user(self.manager).create(
                {
                    "user_id": self.evaluator.id,
                    "company_id": self.company.id,
                    "date_from": date.today(),
                    "date_to": date.today(),
                }
            )

    def test_opening_a_record_is_logged(self):
        assessment = self._assess()
        self._grant()
        Log = self.env["tsq.evaluator.access.log"]
        before = Log.search_count([])
        assessment.with_user(self.evaluator).web_read({"score": {}, "name": {}})
        log = Log.search([], limit=1)
        self.assertEqual(Log.search_count([]), before + 1)
        self.assertEqual(
            (log.user_id, log.operation, log.res_model, log.res_id),
            (self.evaluator, "open", "tsq.conformance.assessment", assessment.id),
        )
        # staff are not logged
        assessment.with_user(self.quality).web_read({"score": {}})
        self.assertEqual(Log.search_count([]), before + 1)
        with self.assertRaises(ValidationError):
            log.unlink()
        with self.assertRaises(AccessError):
            log.with_user(self.manager).read(["res_name"])

    def test_signatures_closed_unless_the_grant_includes_them(self):
        service = self._advance(self._new_service(), "s5")
        acceptance = self._submit_for_acceptance(service)
        acceptance.sudo()._accept("甲方代表", SIGNATURE, "portal")
        self._grant(company=self.company)
        seen = acceptance.with_user(self.evaluator).read(["signed_by", "signature", "state"])[0]
        self.assertEqual(seen["state"], "accepted")
        self.assertFalse(seen["signed_by"])
        self.assertFalse(seen["signature"])
        self.assertFalse(
            service.with_user(self.evaluator).read(["contract_attachment_ids"])[0][
                "contract_attachment_ids"
            ]
        )
        # the signed contract attached at S3, on the service as the form's upload files it
        contract = service.sudo().contract_attachment_ids[:1]
        contract.res_id = service.id
        with self.assertRaises(AccessError):
            contract.with_user(self.evaluator).read(["datas"])
        self.assertFalse(contract.with_user(self.evaluator).has_access("read"))
        Attachment = self.env["ir.attachment"].with_user(self.evaluator)
        self.assertNotIn(contract, Attachment.search([("res_id", "=", service.id)]))
        self._grant(company=self.company, include_contracts=True)
        acceptance.invalidate_recordset()
        seen = acceptance.with_user(self.evaluator).read(["signed_by", "signature"])[0]
        self.assertEqual(seen["signed_by"], "甲方代表")
        self.assertTrue(seen["signature"])
        contract.invalidate_recordset()
        self.assertEqual(
            contract.with_user(self.evaluator).read(["raw"])[0]["raw"], contract.sudo().raw
        )
        self.assertTrue(contract.with_user(self.evaluator).has_access("read"))
        self.assertIn(contract, Attachment.search([("res_id", "=", service.id)]))
        self.assertIn(
            contract.id,
            service.with_user(self.evaluator).read(["contract_attachment_ids"])[0][
                "contract_attachment_ids"
            ],
        )

    def test_findings_land_in_the_assessment_and_the_pdca_path(self):
        assessment = self._assess()
        Finding = self.env["tsq.conformance.finding"].with_user(self.evaluator)
        vals = {
            "assessment_id": assessment.id,
            "clause_id": self.env.ref("tech_service_quality.conformance_clause_r6_2").id,
            "kind": "nonconformity",
            "description": "未见本年度内审计划的执行记录。",
        }
        with self.assertRaises(AccessError):
            Finding.create(vals)
        self._grant()
        finding = Finding.create(vals)
        self.assertEqual(finding.author_id, self.evaluator)
        self.assertIn(finding, assessment.finding_ids)
        self.assertTrue(finding.action_id)
        self.assertEqual(finding.action_id.tsq_source_kind, "conformance")
        with self.assertRaises(AccessError):
            finding.write({"description": "changed"})


@tagged("post_install", "-at_install")
class TestEvaluatorPrints(EvaluatorCase, HttpCase):
    def test_printing_is_logged_and_contract_documents_refused(self):
        assessment = self._assess()
        self._grant()
        Report = (
            self.env["ir.actions.report"]
            .with_user(self.evaluator)
            .with_context(force_report_rendering=True)
        )
        content, _kind = Report._render_qweb_pdf(PDF, assessment.ids)
        self.assertTrue(content.startswith(b"%PDF"))
        log = self.env["tsq.evaluator.access.log"].search(
            [("operation", "=", "print"), ("user_id", "=", self.evaluator.id)]
        )
        self.assertEqual(log.res_id, assessment.id)
        self.assertEqual(log.report, PDF)
        service = self._advance(self._new_service(), "s3")
        self._grant(company=self.company)
        with self.assertRaises(AccessError):
            Report._render_qweb_pdf("tech_service_quality.report_service_plan", service.ids)
