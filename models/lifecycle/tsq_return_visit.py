from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..core.res_company import reader_lang
from ..core.tsq_concurrency import lock_for_decision

SCORES = [
    ("1", "1 — Very dissatisfied"),
    ("2", "2 — Dissatisfied"),
    ("3", "3 — Neutral"),
    ("4", "4 — Satisfied"),
    ("5", "5 — Very satisfied"),
]


class TsqReturnVisit(models.Model):
    """The after-sales return visit (S6), due a set number of days after
    acceptance, done by staff after a call or by the client in the portal."""

    _name = "tsq.return.visit"
    _description = "Return Visit"
    _inherit = ["mail.thread", "mail.activity.mixin", "tsq.record.mixin", "tsq.evidence.mixin"]
    _order = "due_date, id"

    service_id = fields.Many2one("project.project", required=True, ondelete="restrict", index=True)
    company_id = fields.Many2one(related="service_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="service_id.partner_id", store=True, index=True)
    acceptance_id = fields.Many2one("tsq.acceptance", readonly=True, ondelete="restrict")
    due_date = fields.Date(required=True, index=True, tracking=True)
    done_at = fields.Datetime(readonly=True, index=True)
    done_by_id = fields.Many2one("res.users", readonly=True)
    channel = fields.Selection(
        [("phone", "Phone"), ("visit", "Visit"), ("email", "E-mail"), ("portal", "Client portal")],
        default="phone",
    )
    contact_name = fields.Char("Client Contact")
    score = fields.Selection(SCORES, string="Satisfaction")
    comments = fields.Text()
    state = fields.Selection(
        [("planned", "Planned"), ("done", "Done"), ("overdue", "Overdue")],
        compute="_compute_state",
        search="_search_state",
    )

    def _tsq_system_fields(self):
        return super()._tsq_system_fields() | {"done_at", "done_by_id", "acceptance_id"}

    @api.depends("service_id", "due_date")
    def _compute_display_name(self):
        for visit in self:
            visit.display_name = self.env._(
                "%(service)s — return visit due %(due)s",
                service=visit.service_id.name or "",
                due=visit.due_date or "",
            )

    @api.depends("done_at", "due_date")
    def _compute_state(self):
        today = fields.Date.context_today(self)
        for visit in self:
            if visit.done_at:
                visit.state = "done"
            elif visit.due_date and visit.due_date < today:
                visit.state = "overdue"
            else:
                visit.state = "planned"

    def _search_state(self, operator, value):
        if operator != "=":
            raise UserError(self.env._("Operation not supported."))
        today = fields.Date.context_today(self)
        return {
            "done": [("done_at", "!=", False)],
            "overdue": [("done_at", "=", False), ("due_date", "<", today)],
            "planned": [("done_at", "=", False), ("due_date", ">=", today)],
        }[value]

    def _get_report_base_filename(self):
        self.ensure_one()
        return f"{self.service_id.name}-{self.due_date}"

    @api.model
    def _plan_for(self, acceptance):
        service = acceptance.service_id
        accepted_day = fields.Datetime.context_timestamp(
            service.with_context(tz=service.company_id._tsq_tz()), acceptance.decided_at
        ).date()
        visit = self.create(
            {
                "service_id": service.id,
                "acceptance_id": acceptance.id,
                "due_date": accepted_day
                + timedelta(days=service.service_category_id.return_visit_days),
            }
        )
        if service.user_id:
            owner = reader_lang(visit, service.user_id)
            owner.activity_schedule(
                "mail.mail_activity_data_call",
                date_deadline=visit.due_date,
                summary=owner.env._("Return visit to %(client)s", client=service.partner_id.name),
                user_id=service.user_id.id,
            )
        return visit

    def write(self, vals):
        if self.filtered("done_at") and not self.env.su:
            raise UserError(self.env._("A completed return visit is a record and cannot change."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        if self.filtered("done_at"):
            raise UserError(self.env._("A completed return visit cannot be deleted."))

    def _tsq_evidence_final(self):
        return self.filtered("done_at")

    def _is_answerable(self):
        """A visit is answered once, on a service that was delivered (S5 onwards,
        not cancelled)."""
        self.ensure_one()
        return not self.done_at and self.service_id.service_stage in ("s5", "s6", "done")

    def _record(self, score, comments, channel, contact_name=None):
        self.ensure_one()
        lock_for_decision(self)
        if self.done_at:
            raise UserError(self.env._("This return visit has already been recorded."))
        if not self._is_answerable():
            raise UserError(
                self.env._("This return visit cannot be recorded: the service was not delivered.")
            )
        if score not in dict(SCORES):
            raise ValidationError(self.env._("Choose a satisfaction score from 1 to 5."))
        user = self.env.user
        self.sudo().write(
            {
                "score": score,
                "comments": comments,
                "channel": channel,
                "contact_name": contact_name or self.contact_name,
                "done_at": fields.Datetime.now(),
                "done_by_id": user.id,
            }
        )
        self.env["tsq.feedback"].sudo()._record(
            self.service_id, "return_visit", int(score), comments, f"{self._name},{self.id}"
        )
        self.activity_feedback(["mail.mail_activity_data_call"])
        return True

    def action_done(self):
        for visit in self:
            if not visit.score:
                raise UserError(self.env._("Enter the client's satisfaction score first."))
            visit._record(visit.score, visit.comments, visit.channel or "phone")
        return True
