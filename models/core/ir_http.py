from odoo import models


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _get_translation_frontend_modules_name(cls):
        """The portal's chatter and signature widgets are mail's and portal's; the
        complaint and service pages use the add-on's and helpdesk_mgmt's strings: a
        client reading the portal in Chinese gets them in Chinese ("今天 10:32", not
        "Today at 10:32")."""
        mods = super()._get_translation_frontend_modules_name()
        return mods + ["mail", "helpdesk_mgmt", "tech_service_quality"]
