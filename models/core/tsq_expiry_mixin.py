from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

from .res_company import reader_lang
from .tsq_concurrency import claim_rows

EXPIRY_STATES = [
    ("valid", "Valid"),
    ("expiring", "Expiring soon"),
    ("expired", "Expired"),
]


class TsqExpiryMixin(models.AbstractModel):
    """A record that is valid up to a date (a certificate, an undertaking, a
    supplier document or qualification): its state against today, and reminders
    before it runs out.

    The scan sends each reminder level once: ``reminder_level`` keeps the level
    (days before expiry) last sent; one search per level, whatever the number of
    records. A new end date (``valid_to`` written) makes the reminders due again."""

    _name = "tsq.expiry.mixin"
    _description = "Record with an expiry date"
    _tsq_expiry_activity_type = "tech_service_quality.mail_activity_type_expiry"

    valid_to = fields.Date(index=True)
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
        """The reminder levels, in days before expiry, largest first; the largest is
        also the "expiring" window. By default the company's expiry reminder settings
        (none when both are 0)."""
        company = self.env.company
        levels = {company.tsq_expiry_first_days, company.tsq_expiry_second_days}
        return sorted((level for level in levels if level > 0), reverse=True)

    def _tsq_expiring_soon(self, today):
        """The last day of the "expiring" window."""
        return today + timedelta(days=max(self._tsq_expiry_levels() or [0]))

    @api.depends("valid_to")
    def _compute_expiry_state(self):
        today = fields.Date.context_today(self)
        soon = self._tsq_expiring_soon(today)
        for record in self:
            end = record.valid_to
            if end and end < today:
                record.expiry_state = "expired"
            elif end and end <= soon:
                record.expiry_state = "expiring"
            else:
                record.expiry_state = "valid"

    def _search_expiry_state(self, operator, value):
        if operator in ("=", "!="):
            values = {value}
        elif operator in ("in", "not in"):
            values = set(value)
        else:
            raise UserError(self.env._("Operation not supported."))
        if operator in ("!=", "not in"):
            values = {code for code, _label in EXPIRY_STATES} - values
        today = fields.Date.context_today(self)
        soon = self._tsq_expiring_soon(today)
        domains = {
            "expired": [("valid_to", "<", today)],
            "expiring": [("valid_to", ">=", today), ("valid_to", "<=", soon)],
            "valid": ["|", ("valid_to", "=", False), ("valid_to", ">", soon)],
        }
        parts = [domains[code] for code in sorted(values) if code in domains]
        return expression.OR(parts) if parts else expression.FALSE_DOMAIN

    def write(self, vals):
        res = super().write(vals)
        if "valid_to" in vals:
            # a new end date: its reminders are due again (sudo: a system field)
            self.sudo().write({"reminder_level": 0})
        return res

    # ------------------------------------------------------------------ reminders
    def _tsq_expiry_domain(self):
        """The records that can be reminded about (default: all)."""
        return []

    def _tsq_renewed(self):
        """Among ``self``, the records already replaced by a later one: their level
        is recorded but no reminder is sent (default: none)."""
        return self.browse()

    def _tsq_reminder_users(self):
        """Who is reminded about this record (a recordset of res.users)."""
        raise NotImplementedError

    def _tsq_reminder_text(self, days):
        raise NotImplementedError

    def _tsq_expiry_activity_vals(self, level, today):
        """The values of the reminder activities for ``self``, which reached
        ``level``: by default one on the record for each of its reminded users."""
        if self.env.context.get("mail_activity_automation_skip"):
            return []
        activity_type = self.env.ref(self._tsq_expiry_activity_type)
        model_id = self.env["ir.model"]._get_id(self._name)
        return [
            {
                "activity_type_id": activity_type.id,
                "res_model_id": model_id,
                "res_id": record.id,
                "user_id": user.id,
                "date_deadline": record.valid_to,
                "summary": reader_lang(record, user)._tsq_reminder_text(level),
                "note": activity_type.default_note,
                "automated": True,
            }
            for record in self
            for user in record._tsq_reminder_users()
        ]

    @api.model
    def _tsq_expiry_scan(self, batch_size=None):
        """Schedule the reminders due today, the nearest level first, each level
        once per record: one search per level, then one batch of activities.

        Returns (the records that reached a level, the activities created, whether
        a level's search returned ``batch_size`` records: more may be due)."""
        today = fields.Date.context_today(self)
        Model = self.sudo()
        sent = Model.browse()
        vals_list = []
        full = False
        for level in sorted(self._tsq_expiry_levels()):
            due = Model.search(
                self._tsq_expiry_domain()
                + [
                    ("valid_to", ">=", today),
                    ("valid_to", "<=", today + timedelta(days=level)),
                    "|",
                    ("reminder_level", "=", 0),
                    ("reminder_level", ">", level),
                ],
                order="valid_to, id",
                limit=batch_size,
            )
            if not due:
                continue
            full = full or len(due) == batch_size
            # a run on another server may be at the same records: each level of
            # each record is handled by the run that claims it, once
            due = claim_rows(due).filtered(
                lambda r, level=level: not r.reminder_level or r.reminder_level > level
            )
            if not due:
                continue
            vals_list += (due - due._tsq_renewed())._tsq_expiry_activity_vals(level, today)
            due.write({"reminder_level": level})
            sent |= due
        activities = self.env["mail.activity"].sudo()
        if vals_list:
            activities = activities.create(vals_list)
        return sent, activities, full

    @api.model
    def _cron_expiry_reminders(self):
        """Schedule the reminders due today; returns the records reminded."""
        return self._tsq_expiry_scan()[0]
