from odoo import models
from odoo.exceptions import UserError


class TsqRecordMixin(models.AbstractModel):
    """Guards the fields a record's own workflow fills in (who decided, when,
    the outcome): users and RPC calls cannot write them; the workflow methods
    write them with ``sudo()`` after checking the user's right to act.
    Models call :meth:`_tsq_check_system_fields` first thing in create/write."""

    _name = "tsq.record.mixin"
    _description = "Service record with system-recorded fields"

    _tsq_system_fields = frozenset()

    def _tsq_check_system_fields(self, vals):
        if self.env.su:
            return
        forbidden = self._tsq_system_fields & set(vals)
        if forbidden:
            labels = ", ".join(
                sorted(self._fields[name]._description_string(self.env) for name in forbidden)
            )
            raise UserError(
                self.env._(
                    "%(fields)s: recorded by the system when the step is done; "
                    "they cannot be written directly.",
                    fields=labels,
                )
            )
