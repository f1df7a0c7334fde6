from odoo import api, models


class MailThread(models.AbstractModel):
    """Portal credentials that can never be valid are refused like wrong ones.

    The portal compares a ``token`` with the record's access token, and checks a
    ``hash`` signed with it for the partner ``pid``. Sent to a record that keeps no
    token (a return visit: ``KeyError``), that has none yet (a complaint filed from
    the portal, a service: ``TypeError``), that does not exist (``MissingError``),
    or with a ``pid`` that is not a number (``ValueError``), that comparison failed
    with a server error on every route that reaches a thread through
    ``_get_thread_with_access`` (the portal chatter, ``/mail/thread/data``, message
    posting and reactions, the chatter avatars). Such credentials are dropped
    before the comparison: the caller is then judged on their own rights, and a
    refusal is the same as with a wrong token."""

    _inherit = "mail.thread"

    @api.model
    def _get_thread_with_access(self, thread_id, mode="read", **kwargs):
        kwargs = self._tsq_usable_portal_credentials(thread_id, kwargs)
        return super()._get_thread_with_access(thread_id, mode, **kwargs)

    @api.model
    def _tsq_usable_portal_credentials(self, thread_id, kwargs):
        """``kwargs`` without a token, hash or pid that cannot match (see the class)."""
        field = self._mail_post_token_field
        thread = None
        if field in self._fields and str(thread_id).isdigit():
            thread = self.browse(int(thread_id)).sudo().exists()
        usable = dict(kwargs)
        token = usable.get("token")
        if token is not None and not (thread and isinstance(token, str) and thread[field]):
            usable.pop("token")
        pid = usable.get("pid")
        signed = isinstance(usable.get("hash"), str) and str(pid or "").isdigit()
        if ("hash" in usable or "pid" in usable) and not (thread and signed):
            usable.pop("hash", None)
            usable.pop("pid", None)
        return usable
