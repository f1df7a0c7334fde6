"""Issue 5, part A: client satisfaction surveys (R6.3), third-party evaluations
(R6.3) and internal audits with their findings (R6.2)."""

import re
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .common import TsqCase


class TsqEvaluationCase(TsqCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client_a.email = "client-a@example.com"
        cls.survey = cls.env.ref("tech_service_quality.survey_tsq_client_satisfaction")
        cls.q_overall = cls.env.ref("tech_service_quality.survey_tsq_question_overall")
        cls.q_comments = cls.env.ref("tech_service_quality.survey_tsq_question_comments")
        # the company may point to another survey: these tests use the shipped one
        cls.company.tsq_satisfaction_survey_id = cls.survey

    @classmethod
    def _delivered_service(cls, name="专利布局服务"):
        """A service accepted by its client (now in S6, its return visit planned)."""
        return cls._advance(cls._new_service(name=name), "s6")

    def _answers(self, service, occasion=None):
        domain = [("tsq_service_id", "=", service.id)]
        if occasion:
            domain.append(("tsq_occasion", "=", occasion))
        return self.env["survey.user_input"].search(domain)

    def _feedback(self, service, occasion):
        return self.env["tsq.feedback"].search(
            [("service_id", "=", service.id), ("occasion", "=", occasion)]
        )

    def _complete(self, answer, score, comment=None):
        """The client answers the survey and submits it."""
        answer._save_lines(self.q_overall, str(score))
        if comment:
            answer._save_lines(self.q_comments, comment)
        answer._mark_done()


@tagged("post_install", "-at_install")
class TestTsqSatisfactionSurvey(TsqEvaluationCase):
    def test_survey_sent_once_at_acceptance(self):
        """Accepting a delivery e-mails the client the survey once; sending again
        does not create a second invitation."""
        service = self._delivered_service()
        acceptance = service.acceptance_ids
        answer = self._answers(service)
        self.assertEqual(len(answer), 1)
        self.assertEqual(answer.tsq_occasion, "acceptance")
        self.assertEqual(answer.partner_id, self.client_a)
        self.assertEqual(answer.survey_id, self.survey)
        self.assertEqual(acceptance.tsq_survey_input_id, answer)
        mail = self.env["mail.mail"].search(
            [("model", "=", "survey.user_input"), ("res_id", "=", answer.id)]
        )
        self.assertEqual(len(mail), 1)
        self.assertIn(self.client_a, mail.recipient_ids)
        self.assertIn(answer.access_token, str(mail.body_html))
        acceptance._tsq_send_satisfaction_survey()
        self.assertEqual(len(self._answers(service)), 1)

    def test_completed_survey_records_one_feedback(self):
        """The overall-satisfaction answer becomes one feedback response of the
        acceptance occasion, with the client's comment."""
        service = self._delivered_service()
        answer = self._answers(service, "acceptance")
        self._complete(answer, 4, "交付及时，报告质量好")
        feedback = self._feedback(service, "acceptance")
        self.assertEqual(len(feedback), 1)
        self.assertEqual(feedback.score, 4)
        self.assertEqual(feedback.partner_id, self.client_a)
        self.assertEqual(feedback.comment, "交付及时，报告质量好")
        self.assertEqual(feedback.source_ref, f"survey.user_input,{answer.id}")
        self.assertEqual(answer.tsq_feedback_id, feedback)
        self.assertEqual(answer.tsq_feedback_state, "counted")

    def test_second_response_same_occasion_not_counted(self):
        """A second answer for the same client, service and occasion is accepted
        by the survey but not counted: the feedback stays as it was."""
        service = self._delivered_service()
        self._complete(self._answers(service, "acceptance"), 4)
        second = self.env["survey.user_input"]._tsq_invite(service, "acceptance")
        self._complete(second, 1)
        self.assertEqual(second.state, "done")
        self.assertEqual(second.tsq_feedback_state, "not_counted")
        feedback = self._feedback(service, "acceptance")
        self.assertEqual(len(feedback), 1)
        self.assertEqual(feedback.score, 4)
        self.assertIn("not counted", service.message_ids[:1].body)

    def test_return_visit_cron_sends_once(self):
        """The daily job invites the client of a return visit that fell due, once,
        and leaves a visit that is not due yet alone."""
        service = self._delivered_service()
        later = self._delivered_service(name="技术转移服务")
        visit, later_visit = service.return_visit_ids, later.return_visit_ids
        today = fields.Date.context_today(visit.with_context(tz="Asia/Shanghai"))
        visit.sudo().due_date = today - timedelta(days=1)
        later_visit.sudo().due_date = today + timedelta(days=5)
        Visit = self.env["tsq.return.visit"]
        Visit._cron_tsq_send_satisfaction_surveys()
        Visit._cron_tsq_send_satisfaction_surveys()
        answer = self._answers(service, "return_visit")
        self.assertEqual(len(answer), 1)
        self.assertEqual(answer.tsq_return_visit_id, visit)
        self.assertEqual(visit.tsq_survey_input_id, answer)
        self.assertEqual(
            self.env["mail.mail"].search_count(
                [("model", "=", "survey.user_input"), ("res_id", "=", answer.id)]
            ),
            1,
        )
        self.assertFalse(self._answers(later, "return_visit"))
        self.assertFalse(later_visit.tsq_survey_input_id)

    def test_return_visit_survey_completes_visit(self):
        """Answering the return-visit survey completes the open visit and records
        its feedback once."""
        service = self._delivered_service()
        visit = service.return_visit_ids
        visit.sudo().due_date = fields.Date.today() - timedelta(days=2)
        self.env["tsq.return.visit"]._cron_tsq_send_satisfaction_surveys()
        answer = visit.tsq_survey_input_id
        self._complete(answer, 5, "回访很及时")
        self.assertTrue(visit.done_at)
        self.assertEqual(visit.state, "done")
        self.assertEqual(visit.score, "5")
        self.assertEqual(visit.channel, "email")
        feedback = self._feedback(service, "return_visit")
        self.assertEqual(len(feedback), 1)
        self.assertEqual(feedback.score, 5)
        self.assertEqual(answer.tsq_feedback_id, feedback)

    def test_return_visit_by_phone_then_survey_not_counted(self):
        """A visit already recorded by phone keeps its score; the late survey
        answer is not counted and does not fail."""
        service = self._delivered_service()
        visit = service.return_visit_ids
        visit.sudo().due_date = fields.Date.today() - timedelta(days=2)
        self.env["tsq.return.visit"]._cron_tsq_send_satisfaction_surveys()
        visit.with_user(self.user)._record("3", "电话回访：一般", "phone")
        answer = visit.tsq_survey_input_id
        self._complete(answer, 5)
        self.assertEqual(answer.tsq_feedback_state, "not_counted")
        feedback = self._feedback(service, "return_visit")
        self.assertEqual(len(feedback), 1)
        self.assertEqual(feedback.score, 3)
        self.assertEqual(visit.channel, "phone")

    def test_answer_without_score_not_counted(self):
        """An answer submitted without the overall score records no feedback."""
        service = self._delivered_service()
        answer = self._answers(service, "acceptance")
        answer._save_lines(self.q_comments, "没有打分")
        answer._mark_done()
        self.assertEqual(answer.tsq_feedback_state, "not_counted")
        self.assertFalse(self._feedback(service, "acceptance"))

    def test_manager_reads_answers_user_does_not(self):
        """Service Managers read the clients' survey answers; Service Users do not."""
        service = self._delivered_service()
        answer = self._answers(service)
        self.assertTrue(answer.with_user(self.manager).has_access("read"))
        self.assertFalse(answer.with_user(self.user).has_access("read"))


@tagged("post_install", "-at_install")
class TestTsqSatisfactionSurveyHttp(TsqEvaluationCase, HttpCase):
    """The client answers through the e-mailed link, without an account."""

    def _answer_online(self, answer, score, comment):
        self.env.flush_all()
        survey = answer.survey_id
        page = self.url_open(answer.get_start_url())
        self.assertEqual(page.status_code, 200)
        page = self.url_open(f"/survey/{survey.access_token}/{answer.access_token}")
        csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text)
        self.assertTrue(csrf, "the survey page carries a CSRF token")
        base = survey.get_base_url()
        self.opener.post(
            f"{base}/survey/begin/{survey.access_token}/{answer.access_token}", json={}
        )
        response = self.opener.post(
            f"{base}/survey/submit/{survey.access_token}/{answer.access_token}",
            json={
                "params": {
                    str(self.q_overall.id): str(score),
                    str(self.q_comments.id): comment,
                    "csrf_token": csrf.group(1),
                    "token": answer.access_token,
                }
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("error", response.json().get("result", [{}, {}])[1])
        self.env.invalidate_all()

    def test_acceptance_survey_answered_online(self):
        service = self._delivered_service()
        answer = self._answers(service, "acceptance")
        self._answer_online(answer, 5, "非常专业")
        self.assertEqual(answer.state, "done")
        feedback = self._feedback(service, "acceptance")
        self.assertEqual(len(feedback), 1)
        self.assertEqual((feedback.score, feedback.comment), (5, "非常专业"))

    def test_return_visit_survey_answered_online(self):
        service = self._delivered_service()
        visit = service.return_visit_ids
        visit.sudo().due_date = fields.Date.today() - timedelta(days=1)
        self.env["tsq.return.visit"]._cron_tsq_send_satisfaction_surveys()
        self._answer_online(visit.tsq_survey_input_id, 4, "后续服务到位")
        self.assertEqual(visit.state, "done")
        self.assertEqual((visit.score, visit.channel), ("4", "email"))
        self.assertEqual(self._feedback(service, "return_visit").score, 4)


@tagged("post_install", "-at_install")
class TestTsqInternalAudit(TsqEvaluationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan = (
            cls.env["tsq.audit.plan"]
            .with_user(cls.quality)
            .create({"name": "2099 年度内部审核计划", "year": 2099})
        )
        cls.audit = (
            cls.env["mgmtsystem.audit"]
            .with_user(cls.quality)
            .create(
                {
                    "name": "S5 交付验收过程审核",
                    "tsq_plan_id": cls.plan.id,
                    "tsq_process": "s5",
                    "tsq_service_category_id": cls.category.id,
                    "user_id": cls.quality.id,
                }
            )
        )
        cls.employee = cls.env["hr.employee"].create(
            {"name": "张工", "user_id": cls.user.id, "company_id": cls.company.id}
        )

    def _finding(self, kind, **vals):
        return (
            self.env["tsq.audit.finding"]
            .with_user(self.manager)
            .create(
                {
                    "audit_id": self.audit.id,
                    "kind": kind,
                    "name": "验收单缺客户签字页",
                    "description": "抽查 3 份验收记录，1 份未附客户签字页扫描件。",
                    "employee_id": self.employee.id,
                    **vals,
                }
            )
        )

    def test_finding_proposes_action_once(self):
        """A finding proposes one improvement action, linked both ways; a second
        click is refused."""
        finding = self._finding("improvement", name="服务方案模板增加风险应对栏")
        finding.action_propose_action()
        action = finding.action_id
        self.assertTrue(action)
        self.assertEqual(action.tsq_audit_finding_id, finding)
        self.assertEqual(action.type_action, "improvement")
        self.assertEqual(action.user_id, self.user)
        self.assertIn(action, self.audit.imp_opp_ids)
        with self.assertRaisesExactly(UserError):
            finding.action_propose_action()
        self.assertEqual(
            self.env["mgmtsystem.action"].search_count([("tsq_audit_finding_id", "=", finding.id)]),
            1,
        )

    def test_finding_raises_nonconformity(self):
        """A nonconformity finding is raised once as an OCA nonconformity of the
        audit; an observation is not."""
        finding = self._finding("nonconformity")
        finding.action_raise_nonconformity()
        nonconformity = finding.nonconformity_id
        self.assertTrue(nonconformity)
        self.assertEqual(nonconformity.tsq_audit_finding_id, finding)
        self.assertIn(self.audit, nonconformity.audit_ids)
        self.assertIn(nonconformity, self.audit.nonconformity_ids)
        self.assertEqual(nonconformity.responsible_user_id, self.user)
        self.assertIn(
            self.env.ref("mgmtsystem_nonconformity.nc_origin_internal_audit"),
            nonconformity.origin_ids,
        )
        with self.assertRaisesExactly(UserError):
            finding.action_raise_nonconformity()
        with self.assertRaisesExactly(UserError):
            self._finding("observation").action_raise_nonconformity()

    def test_closed_audit_findings_are_records(self):
        """Once the audit is closed its findings cannot be deleted, changed or added."""
        finding = self._finding("observation")
        self.audit.with_user(self.quality).button_close()
        with self.assertRaisesExactly(UserError):
            finding.with_user(self.manager).unlink()
        with self.assertRaisesExactly(UserError):
            finding.with_user(self.manager).description = "改写"
        with self.assertRaisesExactly(UserError):
            self._finding("observation")
        # the link to its improvement action is still made after the audit
        finding.action_propose_action()
        self.assertTrue(finding.action_id)

    def test_closing_audit_handles_findings_once(self):
        """Closing the audit raises its nonconformity findings and proposes their
        corrective actions and the improvement findings' actions, without doubling
        what was already done; observations wait for the auditor."""
        nc = self._finding("nonconformity")
        improvement = self._finding("improvement", name="回访记录增加建议跟踪栏")
        observation = self._finding("observation", name="检索报告未注明检索式")
        improvement.action_propose_action()
        first_action = improvement.action_id
        self.audit.with_user(self.quality).button_close()
        self.assertTrue(nc.nonconformity_id)
        self.assertEqual(nc.action_id.type_action, "correction")
        self.assertIn(nc.action_id, nc.nonconformity_id.action_ids)
        self.assertEqual(improvement.action_id, first_action)
        self.assertFalse(observation.action_id or observation.nonconformity_id)
        self.assertEqual(
            self.env["mgmtsystem.action"].search_count(
                [("tsq_audit_finding_id", "in", (nc + improvement + observation).ids)]
            ),
            2,
        )

    def test_service_user_cannot_create_plan(self):
        """Service Users (and Service Managers) read audit plans but cannot create one."""
        self.assertTrue(self.plan.with_user(self.user).has_access("read"))
        with self.assertRaises(AccessError):
            self.env["tsq.audit.plan"].with_user(self.user).create(
                {"name": "越权计划", "year": 2098}
            )
        with self.assertRaises(AccessError):
            self.env["tsq.audit.finding"].with_user(self.user).create(
                {"audit_id": self.audit.id, "name": "x", "description": "x"}
            )

    def test_plan_approved_by_quality_manager(self):
        """Only a Quality Manager approves the plan; approved, it is fixed; its
        coverage shows the processes planned and audited."""
        with self.assertRaises(AccessError):
            self.plan.with_user(self.manager).action_approve()
        self.plan.with_user(self.quality).action_approve()
        self.assertEqual(self.plan.state, "approved")
        self.assertEqual(self.plan.approved_by_id, self.quality)
        with self.assertRaisesExactly(UserError):
            self.plan.with_user(self.quality).name = "改名"
        self.assertAlmostEqual(self.plan.process_planned_rate, 100.0 / 9)
        self.assertEqual(self.plan.process_audited_rate, 0.0)
        self.audit.with_user(self.quality).button_close()
        self.plan.invalidate_recordset()
        self.assertAlmostEqual(self.plan.process_audited_rate, 100.0 / 9)
        self.assertIn("S5", self.plan.coverage_html)


@tagged("post_install", "-at_install")
class TestTsqExternalEvaluation(TsqEvaluationCase):
    def test_recorded_evaluation_is_evidence(self):
        """A recorded third-party evaluation needs its report and then changes only
        in its internal notes; it cannot be deleted."""
        Evaluation = self.env["tsq.external.evaluation"].with_user(self.manager)
        evaluation = Evaluation.create(
            {
                "name": "2026 年度科技服务机构服务质量评估",
                "body": "某省科学技术厅",
                "date": "2026-06-30",
                "scope": "2025 年度全部技术服务项目",
                "score": 92,
                "score_max": 100,
                "findings": "回访记录不完整。",
            }
        )
        with self.assertRaisesExactly(UserError):
            evaluation.action_record()
        evaluation.attachment_ids = [fields.Command.link(self._attachment("评估报告.pdf").id)]
        evaluation.action_record()
        self.assertEqual(evaluation.state, "recorded")
        self.assertEqual(evaluation.score_percent, 92.0)
        with self.assertRaisesExactly(UserError):
            evaluation.score = 99
        evaluation.notes = "已在管理评审中通报"
        self.assertEqual(evaluation.notes, "已在管理评审中通报")
        with self.assertRaisesExactly(UserError):
            evaluation.unlink()
        evaluation.action_propose_action()
        self.assertEqual(evaluation.action_id.tsq_external_evaluation_id, evaluation)
        with self.assertRaisesExactly(UserError):
            evaluation.action_propose_action()

    def test_service_user_reads_only(self):
        """Service Users read third-party evaluations but cannot record one."""
        with self.assertRaises(AccessError):
            self.env["tsq.external.evaluation"].with_user(self.user).create(
                {"name": "x", "body": "x", "scope": "x"}
            )
