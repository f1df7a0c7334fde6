"""The portal chatter's avatar route (issue 12).

``/mail/avatar/mail.message/<id>/author_avatar/<w>x<h>`` converted ``pid`` with
``int()`` (a server error on anything else) before checking the signature: a
``pid`` that is not a number is now a wrong signature, answered like any other
with the placeholder image. Wrong tokens are refused by
``mail.thread._get_thread_with_access`` (``models/core/mail_thread.py``).
"""

from odoo import http
from odoo.addons.portal.controllers.mail import PortalChatter


class TsqPortalChatter(PortalChatter):
    @http.route()
    def portal_avatar(
        self, res_id=None, height=50, width=50, access_token=None, _hash=None, pid=None
    ):
        if pid is not None and not str(pid).isdigit():
            _hash = pid = None
        return super().portal_avatar(
            res_id=res_id,
            height=height,
            width=width,
            access_token=access_token,
            _hash=_hash,
            pid=pid,
        )
