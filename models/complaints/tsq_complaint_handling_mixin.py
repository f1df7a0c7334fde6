from odoo import fields, models
from odoo.exceptions import UserError, ValidationError

from ..core.res_company import agency_lang
from ..core.tsq_concurrency import lock_for_decision


class TsqComplaintHandlingMixin(models.AbstractModel):
    """The handling of a complaint (R6.4), inherited by ``helpdesk.ticket``: the
    acceptance reply (first response), the validity judgment (a valid complaint
    proposes an improvement action), the feedback to the complainant, what a
    complaint needs before it is closed, and the complainant's rating.

    Every step is a workflow method: it checks the user's right to write the
    ticket, locks it for the decision, and records who and when with ``sudo()``
    (the fields are system fields of the ticket, see ``tsq.record.mixin``).  The
    fields read here are those of ``helpdesk.ticket``."""

    _name = "tsq.complaint.handling.mixin"
    _description = "Complaint handling"

    def _tsq_check_user(self):
        """The workflow buttons need write access to the ticket."""
        self.check_access("write")

    def _tsq_record_response(self, user, when=None):
        self.ensure_one()
        self.sudo().write(
            {
                "tsq_responded_at": when or fields.Datetime.now(),
                "tsq_responded_by_id": user.id,
            }
        )
        self.env["tsq.sla.clock"]._apply_policies(self)

    def _tsq_message_client(self, title, text):
        """Write to the complainant, in their language: ``title(env)`` gives the
        title in the language of ``env``."""
        self.ensure_one()
        partners = self.partner_id
        self.message_subscribe(partner_ids=partners.ids)
        lang = partners[:1].lang or self.env.company._tsq_lang()
        theirs = self.with_context(lang=lang)
        return theirs.message_post(
            body=theirs.env._("%(title)s: %(text)s", title=title(theirs.env), text=text),
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=partners.ids,
        )

    def action_tsq_respond(self):
        """Send the acceptance reply to the complainant; it is the first response."""
        self._tsq_check_user()
        lock_for_decision(self)
        for ticket in self:
            if ticket.tsq_responded_at:
                raise UserError(
                    self.env._("%(ticket)s has already been answered.", ticket=ticket.display_name)
                )
            if not (ticket.tsq_response_message or "").strip():
                raise UserError(
                    self.env._(
                        "%(ticket)s: write the acceptance reply first.", ticket=ticket.display_name
                    )
                )
            ticket._tsq_message_client(
                lambda env: env._("Your complaint is accepted"), ticket.tsq_response_message
            )
            if not ticket.tsq_responded_at:  # message_post records it for employees
                ticket._tsq_record_response(self.env.user)
        return True

    def _tsq_judge(self, validity):
        self._tsq_check_user()
        lock_for_decision(self)
        for ticket in self:
            if not ticket.is_complaint:
                raise UserError(
                    self.env._("%(ticket)s is not a complaint.", ticket=ticket.display_name)
                )
            if not (ticket.tsq_validity_reason or "").strip():
                raise UserError(
                    self.env._(
                        "%(ticket)s: give the reason of the judgment first.",
                        ticket=ticket.display_name,
                    )
                )
            ticket.sudo().write(
                {
                    "tsq_validity": validity,
                    "tsq_judged_at": fields.Datetime.now(),
                    "tsq_judged_by_id": self.env.uid,
                }
            )
            if validity == "valid":
                ticket._tsq_propose_action()
        return True

    def action_tsq_judge_valid(self):
        return self._tsq_judge("valid")

    def action_tsq_judge_invalid(self):
        return self._tsq_judge("invalid")

    def _tsq_running_action(self):
        """The improvement action already open for this ticket (for its validity
        or one of its SLA breaches), if any."""
        self.ensure_one()
        ticket = self.sudo()
        actions = ticket.tsq_action_id | ticket.tsq_clock_ids.tsq_action_id
        return actions.filtered(lambda a: a.active and not a.stage_id.is_ending)[:1]

    def _tsq_propose_action(self):
        """A valid complaint proposes one improvement action, linked both ways."""
        self.ensure_one()
        if self.tsq_action_id:
            return self.tsq_action_id
        running = self._tsq_running_action()
        if running:  # one open action per complaint: it covers the judgment too
            self.sudo().tsq_action_id = running
            shared = agency_lang(running, self.company_id)
            shared.message_post(
                body=shared.env._(
                    "Complaint %(ticket)s was judged valid: this action covers it.",
                    ticket=self.display_name,
                ),
                subtype_xmlid="mail.mt_note",
            )
            return running
        description = self.env._(
            "Complaint %(ticket)s from %(client)s.\nRoot cause: %(cause)s",
            ticket=self.display_name,
            client=self.partner_id.commercial_partner_id.display_name or "-",
            cause=self.tsq_root_cause or self.env._("to be analysed"),
        )
        action = self.env["mgmtsystem.action"]._tsq_propose(
            self,
            "tsq_ticket_id",
            self.env._("Valid complaint %(ticket)s", ticket=self.display_name),
            description,
            self.team_id.user_id or self.env.user,
            "tsq_action_id",
        )
        return action

    def action_tsq_send_feedback(self):
        """Give the complainant the handling result (the feedback R6.4 requires)."""
        self._tsq_check_user()
        lock_for_decision(self)
        for ticket in self:
            missing = ", ".join(ticket._tsq_feedback_missing())
            if missing:
                raise UserError(
                    self.env._(
                        "%(ticket)s: before giving feedback, record %(missing)s.",
                        ticket=ticket.display_name,
                        missing=missing,
                    )
                )
            ticket._tsq_message_client(
                lambda env: env._("Result of the handling of your complaint"),
                ticket.tsq_feedback_message,
            )
            ticket.sudo().write(
                {"tsq_feedback_at": fields.Datetime.now(), "tsq_feedback_by_id": self.env.uid}
            )
        return True

    def _tsq_feedback_missing(self):
        """What must be recorded before the complainant is given the result."""
        self.ensure_one()
        wanted = [
            (not (self.tsq_resolution or "").strip(), self.env._("the resolution")),
            (
                not (self.tsq_feedback_message or "").strip(),
                self.env._("the feedback to the complainant"),
            ),
            (
                self.is_complaint and self.tsq_validity == "pending",
                self.env._("the validity judgment"),
            ),
        ]
        return [label for lacking, label in wanted if lacking]

    def _tsq_close_missing(self):
        """What a complaint still lacks before it may be closed (R6.4)."""
        self.ensure_one()
        if not self.is_complaint:
            return []
        missing = []
        if not self.tsq_responded_at:
            missing.append(self.env._("the acceptance reply (first response)"))
        if self.tsq_validity == "pending":
            missing.append(self.env._("the validity judgment with its reason"))
        if not (self.tsq_resolution or "").strip():
            missing.append(self.env._("the resolution"))
        if not self.tsq_feedback_at:
            missing.append(self.env._("the feedback given to the complainant"))
        return missing

    def _tsq_check_can_close(self):
        problems = []
        for ticket in self:
            missing = ticket._tsq_close_missing()
            if missing:
                problems.append(
                    self.env._(
                        "%(ticket)s: %(missing)s",
                        ticket=ticket.display_name,
                        missing="; ".join(missing),
                    )
                )
        if problems:
            raise ValidationError(
                self.env._(
                    "A complaint cannot be closed without:\n%(problems)s",
                    problems="\n".join(problems),
                )
            )

    def _tsq_rate(self, score, comment, partner):
        """The complainant rates the handling (once); the rating feeds indicator 1."""
        self.ensure_one()
        lock_for_decision(self)
        if not self.is_complaint or not self.tsq_feedback_at:
            raise UserError(
                self.env._("The handling can be rated once the feedback has been given.")
            )
        if self.tsq_rated_at:
            raise UserError(self.env._("This complaint handling has already been rated."))
        try:
            score = int(score)
        except (TypeError, ValueError):
            score = 0
        if not 1 <= score <= 5:
            raise UserError(self.env._("Choose a score from 1 to 5."))
        comment = (comment or "").strip()[:2000]
        now = fields.Datetime.now()
        self.sudo().write(
            {
                "tsq_satisfaction": str(score),
                "tsq_satisfaction_comment": comment,
                "tsq_rated_at": now,
            }
        )
        self.env["tsq.feedback"].sudo().create(
            {
                "partner_id": partner.commercial_partner_id.id,
                "service_id": self.service_id.id,
                "ticket_id": self.id,
                "occasion": "complaint",
                "score": score,
                "comment": comment,
                "submitted_at": now,
                "source_ref": f"helpdesk.ticket,{self.id}",
            }
        )
        shared = agency_lang(self, self.company_id)
        shared.message_post(
            body=shared.env._("The complainant rated the handling %(score)s/5.", score=score),
            subtype_xmlid="mail.mt_note",
        )
        return True
