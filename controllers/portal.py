from odoo.addons.portal.controllers.portal import CustomerPortal


class ServicePortal(CustomerPortal):
    pass
