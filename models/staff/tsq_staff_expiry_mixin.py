from odoo import models


class TsqStaffExpiryMixin(models.AbstractModel):
    """A staff record valid until a date (``tsq.expiry.mixin``), about one
    employee (``employee_id``): its reminders go to the users the employee's
    reminders go to, and it covers a period if it is valid on every day of it,
    from its start (the field ``_tsq_valid_from_field``) to ``valid_to``."""

    _name = "tsq.staff.expiry.mixin"
    _inherit = ["tsq.expiry.mixin"]
    _description = "Staff record with a validity period"
    _tsq_valid_from_field = "valid_from"

    def _covers(self, date_from, date_to):
        """Whether the record is valid on every day of [date_from, date_to]."""
        self.ensure_one()
        start = self[self._tsq_valid_from_field]
        if start and start > date_from:
            return False
        return not self.valid_to or self.valid_to >= date_to

    def _tsq_reminder_users(self):
        self.ensure_one()
        return self.employee_id._tsq_reminded_users(self)
