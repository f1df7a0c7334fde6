"""Odoo's generic project pages without the services: a client reaches its services
through /my/services only (portal.py)."""

from odoo import http
from odoo.addons.project.controllers.portal import ProjectCustomerPortal
from odoo.http import request

from .portal import readable_count


class ProjectPortalWithoutServices(ProjectCustomerPortal):
    """Odoo's generic project pages are not for services: a client reaches its
    services through /my/services only (same record rules either way)."""

    def _prepare_project_domain(self):
        return [*super()._prepare_project_domain(), ("is_service", "=", False)]

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "project_count" in counters:
            values["project_count"] = readable_count(
                "project.project", self._prepare_project_domain()
            )
        return values

    @http.route()
    def portal_my_project(self, project_id=None, access_token=None, **kw):
        project = request.env["project.project"].browse(project_id).exists()
        # only a service the user may read is redirected: any other id gets
        # Odoo's own answer, the same as for an id that does not exist
        if project and project.has_access("read") and project.is_service:
            return request.redirect(f"/my/services/{project.id}")
        return super().portal_my_project(project_id=project_id, access_token=access_token, **kw)
