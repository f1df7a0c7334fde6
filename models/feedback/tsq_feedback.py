from odoo import api, fields, models
from odoo.exceptions import UserError

OCCASIONS = [
    ("return_visit", "Return visit"),
    ("acceptance", "Acceptance"),
    ("portal", "Portal rating"),
    ("survey", "Survey"),
    ("complaint", "Complaint handling"),
]


class TsqFeedback(models.Model):
    """One client feedback response (indicator 1, customer satisfaction):
    one per client, per service, per occasion."""

    _name = "tsq.feedback"
    _description = "Client Feedback Response"
    _order = "submitted_at desc, id desc"

    partner_id = fields.Many2one("res.partner", required=True, index=True, readonly=True)
    service_id = fields.Many2one("project.project", index=True, readonly=True, ondelete="restrict")
    ticket_id = fields.Many2one(
        "helpdesk.ticket",
        string="Complaint",
        index=True,
        readonly=True,
        ondelete="restrict",
        help="For a rating of complaint handling: the complaint rated.",
    )
    company_id = fields.Many2one(
        "res.company", compute="_compute_company_id", store=True, index=True
    )
    service_category_id = fields.Many2one(
        related="service_id.service_category_id", store=True, index=True
    )
    occasion = fields.Selection(OCCASIONS, required=True, readonly=True)
    score = fields.Integer(required=True, readonly=True)
    comment = fields.Text(readonly=True)
    submitted_at = fields.Datetime(
        required=True, readonly=True, index=True, default=fields.Datetime.now
    )
    source_ref = fields.Char(readonly=True, help="model,id of the record that collected it")

    _sql_constraints = [
        (
            "one_per_occasion",
            "unique nulls not distinct(partner_id, service_id, occasion, ticket_id)",
            "This client has already given feedback on this service for this occasion.",
        ),
        ("score_range", "CHECK(score BETWEEN 1 AND 5)", "A score is between 1 and 5."),
        (
            "about_something",
            "CHECK(service_id IS NOT NULL OR ticket_id IS NOT NULL)",
            "A feedback response is about a service or a complaint.",
        ),
    ]

    @api.depends("partner_id", "occasion", "score", "service_id", "ticket_id")
    def _compute_display_name(self):
        occasions = dict(self._fields["occasion"]._description_selection(self.env))
        for feedback in self:
            feedback.display_name = self.env._(
                "%(client)s · %(occasion)s · %(score)s/5 (%(about)s)",
                client=feedback.partner_id.name or "",
                occasion=occasions.get(feedback.occasion, ""),
                score=feedback.score,
                about=(feedback.service_id or feedback.ticket_id).display_name or "",
            )

    @api.depends("service_id.company_id", "ticket_id.company_id")
    def _compute_company_id(self):
        for feedback in self:
            feedback.company_id = feedback.service_id.company_id or feedback.ticket_id.company_id

    @api.model
    def _record(self, service, occasion, score, comment, source_ref):
        return self.create(
            {
                "partner_id": service.partner_id.commercial_partner_id.id,
                "service_id": service.id,
                "occasion": occasion,
                "score": score,
                "comment": comment,
                "source_ref": source_ref,
            }
        )

    def write(self, vals):
        if vals:
            raise UserError(self.env._("A feedback response is a record and cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_record(self):
        raise UserError(self.env._("A feedback response is a record and cannot be deleted."))
