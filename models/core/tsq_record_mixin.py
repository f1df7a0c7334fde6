from odoo import api, models
from odoo.exceptions import UserError


class TsqRecordMixin(models.AbstractModel):
    """Guards the fields a record's own workflow fills in (who decided, when,
    the outcome): users and RPC calls cannot write them; the workflow methods
    write them with ``sudo()`` after checking the user's right to act.

    The guard runs in create() and write(). A model that records such fields
    inside its own write() (project.project records when a stage starts) sets
    ``_tsq_guard_in_orm = False`` and calls :meth:`_tsq_check_system_fields`
    on the caller's values itself.  The guarded fields are those of
    :meth:`_tsq_system_fields`."""

    _name = "tsq.record.mixin"
    _description = "Service record with system-recorded fields"

    _tsq_guard_in_orm = True

    def _tsq_system_fields(self):
        """The fields the workflow fills in: each model, and each domain that
        extends it, adds its own to those of ``super()``."""
        return frozenset()

    @api.model_create_multi
    def create(self, vals_list):
        if self._tsq_guard_in_orm:
            for vals in vals_list:
                self._tsq_check_system_fields(vals)
        return super().create(vals_list)

    def write(self, vals):
        if self._tsq_guard_in_orm:
            self._tsq_check_system_fields(vals)
        return super().write(vals)

    def _tsq_check_system_fields(self, vals):
        if self.env.su:
            return
        forbidden = self._tsq_system_fields() & set(vals)
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
