from datetime import timedelta

from odoo import api, fields, models

EXPIRY_STATES = [
    ("valid", "Valid"),
    ("expiring", "Expiring soon"),
    ("expired", "Expired"),
]


class TsqExpiryMixin(models.AbstractModel):
    """A record that is valid up to a date (a certificate, an undertaking): its
    state against today, and reminders before it runs out.

    The scan sends each reminder level once: ``reminder_level`` keeps the level
    (days before expiry) last sent; one search per level, whatever the number of
    records."""

    _name = "tsq.expiry.mixin"
    _description = "Record with an expiry date"
    _tsq_expiry_activity_summary = "Renew before it expires"

    valid_to = fields.Date(index=True, tracking=True)
    expiry_state = fields.Selection(
        EXPIRY_STATES,
        string="Validity",
        compute="_compute_expiry_state",
        search="_search_expiry_state",
    )
    reminder_level = fields.Integer(
        readonly=True,
        copy=False,
        help="Days before expiry of the last reminder sent (0: none yet).",
    )

    @api.model
    def _tsq_expiry_levels(self):
        company = self.env.company
        levels = {company.tsq_expiry_first_days, company.tsq_expiry_second_days}
        return sorted((level for level in levels if level > 0), reverse=True)

    @api.depends("valid_to")
    def _compute_expiry_state(self):
        today = fields.Date.context_today(self)
        soon = today + timedelta(days=max(self._tsq_expiry_levels() or [0]))
        for record in self:
            if not record.valid_to:
                record.expiry_state = "valid"
            elif record.valid_to < today:
                record.expiry_state = "expired"
            elif record.valid_to <= soon:
                record.expiry_state = "expiring"
            else:
                record.expiry_state = "valid"

    def _search_expiry_state(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            return [("id", "=", False)]
        values = [value] if isinstance(value, str) else list(value)
        today = fields.Date.context_today(self)
        soon = today + timedelta(days=max(self._tsq_expiry_levels() or [0]))
        parts = {
            "expired": [("valid_to", "<", today)],
            "expiring": [("valid_to", ">=", today), ("valid_to", "<=", soon)],
            "valid": ["|", ("valid_to", "=", False), ("valid_to", ">", soon)],
        }
        domain = []
        for state in values:
            if state in parts:
                domain = ["|", *domain, *parts[state]] if domain else parts[state]
        if not domain:
            domain = [("id", "=", False)]
        return domain if operator in ("=", "in") else ["!", *domain]

    def _tsq_reminder_users(self):
        """Who is reminded about this record (a recordset of res.users)."""
        raise NotImplementedError

    def _tsq_reminder_text(self, days):
        raise NotImplementedError

    @api.model
    def _cron_expiry_reminders(self):
        """Schedule the reminders due today, each level once per record."""
        today = fields.Date.context_today(self)
        activity_type = self.env.ref("tech_service_quality.mail_activity_type_expiry")
        sent = self.browse()
        for level in sorted(self._tsq_expiry_levels()):  # the nearest level first
            due = (
                self.sudo().search(
                    [
                        ("valid_to", ">=", today),
                        ("valid_to", "<=", today + timedelta(days=level)),
                        "|",
                        ("reminder_level", "=", 0),
                        ("reminder_level", ">", level),
                    ]
                )
                - sent
            )
            for record in due:
                for user in record._tsq_reminder_users():
                    record.activity_schedule(
                        activity_type_id=activity_type.id,
                        summary=record._tsq_reminder_text(level),
                        user_id=user.id,
                        date_deadline=record.valid_to,
                    )
            due.write({"reminder_level": level})
            sent |= due
        return sent

    def write(self, vals):
        if "valid_to" in vals:
            vals = dict(vals, reminder_level=0)  # renewed: remind again before the new date
        return super().write(vals)
