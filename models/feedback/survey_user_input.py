import logging

from psycopg2 import errors as pg_errors

from odoo import api, fields, models

from ..core.res_company import agency_lang

_logger = logging.getLogger(__name__)


# The occasions on which the client satisfaction survey is sent; each feeds
# indicator 1 (customer satisfaction) under the same occasion of tsq.feedback.
SURVEY_OCCASIONS = [("acceptance", "Acceptance"), ("return_visit", "Return visit")]


SATISFACTION_SURVEY_XMLID = "tech_service_quality.survey_tsq_client_satisfaction"


INVITE_TEMPLATE_XMLID = "tech_service_quality.mail_template_tsq_satisfaction_invite"


class SurveyUserInput(models.Model):
    """A client's answer to the satisfaction survey, sent at acceptance or at the
    return visit of a service. Completed, it records one feedback response
    (tsq.feedback) for its client, service and occasion — or none when that client
    has already answered on that occasion (e.g. by phone)."""

    _inherit = "survey.user_input"

    tsq_service_id = fields.Many2one(
        "project.project", string="Service", readonly=True, index="btree_not_null"
    )
    tsq_occasion = fields.Selection(SURVEY_OCCASIONS, string="Occasion", readonly=True)
    tsq_acceptance_id = fields.Many2one("tsq.acceptance", string="Acceptance", readonly=True)
    tsq_return_visit_id = fields.Many2one(
        "tsq.return.visit", string="Return Visit", readonly=True, index="btree_not_null"
    )
    tsq_feedback_id = fields.Many2one("tsq.feedback", string="Feedback Recorded", readonly=True)
    tsq_feedback_state = fields.Selection(
        [("counted", "Counted"), ("not_counted", "Not counted")],
        string="Satisfaction Feedback",
        readonly=True,
        copy=False,
        help="Counted: the answer is the client's feedback for this occasion. Not "
        "counted: the client had already given feedback on this occasion, or gave no "
        "satisfaction score.",
    )
    tsq_score = fields.Integer(string="Satisfaction Score", readonly=True)

    # ----------------------------------------------------------------- sending
    @api.model
    def _tsq_invite(self, service, occasion, acceptance=None, visit=None):
        """Create the client's answer to the company's satisfaction survey and
        e-mail them its link. Returns the answer (empty when no survey is set or
        the service has no client)."""
        service = service.sudo()
        self = agency_lang(self, service.company_id)  # noqa: PLW0642 (the note's language)
        survey = service.company_id._tsq_satisfaction_survey()
        partner = service.partner_id
        if not survey or not partner:
            _logger.info("No satisfaction survey sent for service %s.", service.id)
            return self.browse()
        answer = survey.sudo()._create_answer(
            partner=partner,
            check_attempts=False,
            tsq_service_id=service.id,
            tsq_occasion=occasion,
            tsq_acceptance_id=acceptance.id if acceptance else False,
            tsq_return_visit_id=visit.id if visit else False,
        )
        occasion_label = dict(self._fields["tsq_occasion"]._description_selection(self.env))[
            occasion
        ]
        if partner.email:
            template = self.env.ref(INVITE_TEMPLATE_XMLID, raise_if_not_found=False)
            if template:
                template.sudo().send_mail(
                    answer.id, email_layout_xmlid="mail.mail_notification_light"
                )
            body = self.env._(
                "Satisfaction survey (%(occasion)s) sent to %(client)s.",
                occasion=occasion_label,
                client=partner.display_name,
            )
        else:
            body = self.env._(
                "Satisfaction survey (%(occasion)s) created for %(client)s, who has no "
                "e-mail address: give them the survey link.",
                occasion=occasion_label,
                client=partner.display_name,
            )
        self._tsq_note(service, body)
        return answer

    def _tsq_note(self, service, body):
        """A note on the service; written by the system when the client answers
        through the survey link (public user)."""
        author = self.env.user.partner_id
        if self.env.user._is_public():
            author = self.env.ref("base.partner_root")
        service.sudo().message_post(body=body, subtype_xmlid="mail.mt_note", author_id=author.id)

    def tsq_survey_url(self):
        """The absolute link of this answer (the e-mail's button)."""
        self.ensure_one()
        return self.survey_id.get_base_url() + self.get_start_url()

    # --------------------------------------------------------------- answering
    def _mark_done(self):
        res = super()._mark_done()
        for answer in self.filtered(
            lambda a: (
                a.tsq_service_id
                and a.tsq_occasion
                and not a.test_entry
                and not a.tsq_feedback_state
            )
        ):
            # the notes on the service are the agency's, in its language
            agency_lang(answer.sudo(), answer.tsq_service_id.company_id)._tsq_record_feedback()
        return res

    def _tsq_answers(self):
        """(score, comment) given in this answer: the flagged scale question's
        value, and the text answers."""
        self.ensure_one()
        lines = self.user_input_line_ids.filtered(lambda line: not line.skipped)
        score_line = lines.filtered(
            lambda line: line.question_id.tsq_is_satisfaction and line.answer_type == "scale"
        )[:1]
        texts = [
            (line.value_text_box or line.value_char_box or "").strip()
            for line in lines
            if line.answer_type in ("text_box", "char_box")
        ]
        return score_line.value_scale, "\n".join(text for text in texts if text) or False

    def _tsq_existing_feedback(self):
        self.ensure_one()
        service = self.tsq_service_id
        return self.env["tsq.feedback"].search(
            [
                ("partner_id", "=", service.partner_id.commercial_partner_id.id),
                ("service_id", "=", service.id),
                ("occasion", "=", self.tsq_occasion),
                ("ticket_id", "=", False),
            ],
            limit=1,
        )

    def _tsq_record_feedback(self):
        """Record the completed answer as the client's feedback, once per client,
        service and occasion; a return-visit answer also completes the visit."""
        self.ensure_one()
        service = self.tsq_service_id
        score, comment = self._tsq_answers()
        self.tsq_score = score
        if not 1 <= score <= 5:
            return self._tsq_not_counted(
                self.env._(
                    "The satisfaction survey of %(client)s has no satisfaction score from "
                    "1 to 5: it is not counted in customer satisfaction.",
                    client=self.partner_id.display_name or self.email or "",
                )
            )
        visit = self.tsq_return_visit_id
        if self.tsq_occasion == "return_visit" and visit and visit._is_answerable():
            client_user = self.partner_id.user_ids[:1]
            recorder = visit
            if self.env.user._is_public() and client_user:
                recorder = visit.with_user(client_user)
            recorder.sudo()._record(str(score), comment, "email", contact_name=self.partner_id.name)
            feedback = self._tsq_existing_feedback()
        elif self._tsq_existing_feedback():
            return self._tsq_not_counted(
                self.env._(
                    "%(client)s answered the satisfaction survey (%(occasion)s) with score "
                    "%(score)s, but feedback for this occasion was already recorded: this "
                    "answer is not counted again.",
                    client=self.partner_id.display_name or self.email or "",
                    occasion=dict(self._fields["tsq_occasion"]._description_selection(self.env))[
                        self.tsq_occasion
                    ],
                    score=score,
                )
            )
        else:
            try:
                with self.env.cr.savepoint():
                    feedback = (
                        self.env["tsq.feedback"]
                        .sudo()
                        ._record(
                            service, self.tsq_occasion, score, comment, f"{self._name},{self.id}"
                        )
                    )
            except pg_errors.UniqueViolation:
                # recorded concurrently (e.g. by phone at the same moment)
                return self._tsq_not_counted(
                    self.env._(
                        "Feedback for this occasion was recorded meanwhile: the survey of "
                        "%(client)s is not counted again.",
                        client=self.partner_id.display_name or "",
                    )
                )
        self.write({"tsq_feedback_id": feedback.id, "tsq_feedback_state": "counted"})
        self._tsq_note(
            service,
            self.env._(
                "%(client)s answered the satisfaction survey: score %(score)s.",
                client=self.partner_id.display_name or self.email or "",
                score=score,
            ),
        )
        return feedback

    def _tsq_not_counted(self, message):
        self.tsq_feedback_state = "not_counted"
        self._tsq_note(self.tsq_service_id, message)
        return self.env["tsq.feedback"]
