"""Continuous improvement (R6.5, PDCA) on the OCA improvement action.

Every evaluation source proposes one action, once, linked both ways: a valid
complaint, an SLA breach (per policy), an acceptance objection, a supplier's
grade D, an audit finding, an indicator that missed its target in a closed
period. The action then runs Plan (cause, measures, owner, deadline), Do,
Check (effectiveness decided on evidence; for an indicator, its value in the
following periods) and Act (the procedure or gate checklist changed)."""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import plaintext2html

from ..core.res_company import in_agency_language, reader_lang
from ..core.tsq_concurrency import claim_rows

# The kinds of source of an action: those of this file's links; the audit and
# conformance domains add theirs (selection_add) where their links are declared.
SOURCE_KINDS = [
    ("complaint", "Valid complaint"),
    ("sla_breach", "SLA breach"),
    ("objection", "Acceptance objection"),
    ("indicator", "Indicator target missed"),
    ("supplier_evaluation", "Supplier evaluation"),
    ("manual", "Raised by hand"),
]


EFFECTIVENESS = [
    ("pending", "Pending"),
    ("effective", "Effective"),
    ("not_effective", "Not effective"),
]


# What the owner and the checker write; a closed action keeps it as it was.
PDCA_FIELDS = frozenset(
    {
        "tsq_cause",
        "tsq_measures",
        "user_id",
        "date_deadline",
        "tsq_do_notes",
        "tsq_done_at",
        "tsq_effective",
        "tsq_check_evidence",
        "tsq_check_attachment_ids",
        "tsq_act_description",
        "tsq_gate_template_ids",
        "tsq_procedure_id",
        "tsq_indicator_target_ids",
    }
)


CHECKER_GROUPS = (
    "tech_service_quality.group_tsq_manager",
    "mgmtsystem.group_mgmtsystem_manager",
)


class MgmtsystemAction(models.Model):
    _inherit = "mgmtsystem.action"

    # ------------------------------------------------------------ sources
    tsq_ticket_id = fields.Many2one(
        "helpdesk.ticket",
        string="Source Complaint",
        readonly=True,
        index="btree_not_null",
        help="The valid complaint that proposed this action.",
    )
    tsq_supplier_evaluation_id = fields.Many2one(
        "tsq.supplier.evaluation",
        string="Source Supplier Evaluation",
        readonly=True,
        index="btree_not_null",
        help="The supplier evaluation (grade D) that proposed this action.",
    )
    tsq_snapshot_id = fields.Many2one(
        "tsq.indicator.snapshot",
        string="Source Indicator Figure",
        readonly=True,
        index="btree_not_null",
        help="The indicator figure of a closed period that missed its target.",
    )
    tsq_acceptance_id = fields.Many2one(
        "tsq.acceptance",
        string="Source Objection",
        readonly=True,
        index="btree_not_null",
        help="The acceptance submission the client objected to.",
    )
    tsq_sla_clock_id = fields.Many2one(
        "tsq.sla.clock",
        string="Source SLA Breach",
        readonly=True,
        index="btree_not_null",
        help="The SLA clock that breached.",
    )
    tsq_source_kind = fields.Selection(
        SOURCE_KINDS,
        string="Source",
        compute="_compute_tsq_source_kind",
        store=True,
        index=True,
    )
    tsq_source_ref = fields.Reference(
        selection="_tsq_source_models",
        string="Source Record",
        compute="_compute_tsq_source_ref",
    )
    # ------------------------------------------------------------ Plan
    tsq_cause = fields.Text(string="Root Cause", help="Why the problem happened (Plan).")
    tsq_measures = fields.Text(
        string="Measures", help="What will be done to remove the cause, by whom (Plan)."
    )
    # ------------------------------------------------------------ Do
    tsq_do_notes = fields.Text(string="What Was Done", help="How the measures were carried out.")
    tsq_done_at = fields.Datetime(
        string="Measures Carried Out", help="When the measures were completed (Do)."
    )
    # ------------------------------------------------------------ Check
    tsq_effective = fields.Selection(
        EFFECTIVENESS,
        string="Effectiveness",
        default="pending",
        required=True,
        tracking=True,
        index=True,
        help="Decided by a Service Manager or Quality Manager, on evidence (Check).",
    )
    tsq_check_evidence = fields.Text(
        string="Check Evidence", help="What shows that the measures worked, or did not."
    )
    tsq_check_attachment_ids = fields.Many2many(
        "ir.attachment",
        "tsq_action_check_attachment_rel",
        "action_id",
        "attachment_id",
        string="Evidence Files",
    )
    tsq_checked_by = fields.Many2one("res.users", string="Checked By", readonly=True)
    tsq_checked_at = fields.Datetime(string="Checked On", readonly=True)
    tsq_indicator_followup = fields.Html(
        string="Indicator in the Following Periods",
        compute="_compute_tsq_indicator_followup",
        sanitize=False,
    )
    # ------------------------------------------------------------ Act
    tsq_act_description = fields.Text(
        string="Change Made",
        help="What was changed for good: the procedure, the checklist, the template (Act).",
    )
    tsq_gate_template_ids = fields.Many2many(
        "tsq.gate.template",
        "tsq_action_gate_template_rel",
        "action_id",
        "template_id",
        string="Gate Checklist Lines Changed",
    )
    tsq_procedure_id = fields.Many2one(
        "document.page",
        string="Procedure Revised",
        domain=[("type", "=", "content")],
        help="The management-system procedure revised by this action.",
    )
    tsq_indicator_target_ids = fields.Many2many(
        "tsq.indicator.target",
        "tsq_action_indicator_target_rel",
        "action_id",
        "target_id",
        string="Indicator Targets Changed",
        help="The indicator targets set or changed by this action.",
    )
    tsq_stage_starting = fields.Boolean(related="stage_id.is_starting", string="Starting Stage")
    tsq_stage_ending = fields.Boolean(related="stage_id.is_ending", string="Ending Stage")
    # ------------------------------------------------------------ overdue
    tsq_is_overdue = fields.Boolean(
        string="Overdue",
        compute="_compute_tsq_is_overdue",
        search="_search_tsq_is_overdue",
        help="The deadline has passed and the action is not closed.",
    )
    tsq_overdue_reminded_on = fields.Date(
        string="Overdue Reminder Sent",
        readonly=True,
        copy=False,
        help="The owner was reminded of the overdue action on this day; a new "
        "deadline allows a new reminder.",
    )

    # ------------------------------------------------------------ sources
    @api.model
    def _tsq_source_links(self):
        """The (link field, kind) pairs of the action's sources: each domain that
        declares a link extends this (and the kinds of ``tsq_source_kind``)."""
        return [
            ("tsq_ticket_id", "complaint"),
            ("tsq_sla_clock_id", "sla_breach"),
            ("tsq_acceptance_id", "objection"),
            ("tsq_snapshot_id", "indicator"),
            ("tsq_supplier_evaluation_id", "supplier_evaluation"),
        ]

    @api.model
    def _tsq_source_models(self):
        return [
            (
                self._fields[name].comodel_name,
                self.env[self._fields[name].comodel_name]._description,
            )
            for name, _kind in self._tsq_source_links()
        ]

    def _tsq_source(self):
        """(kind, record) of the source that proposed this action."""
        self.ensure_one()
        for name, kind in self._tsq_source_links():
            if self[name]:
                return kind, self[name]
        return "manual", None

    @api.depends(lambda self: [name for name, _kind in self._tsq_source_links()])
    def _compute_tsq_source_kind(self):
        for action in self:
            action.tsq_source_kind = action._tsq_source()[0]

    @api.depends(lambda self: [name for name, _kind in self._tsq_source_links()])
    def _compute_tsq_source_ref(self):
        for action in self:
            source = action._tsq_source()[1]
            action.tsq_source_ref = f"{source._name},{source.id}" if source else False

    def action_tsq_open_source(self):
        self.ensure_one()
        source = self.tsq_source_ref
        if not source:
            raise UserError(self.env._("This action was raised by hand: it has no source."))
        return source.get_formview_action()

    @api.model
    def _tsq_propose(
        self, source, link_field, name, description, user, back_field, type_action="correction"
    ):
        """The improvement action ``source`` proposes, once: the action links to
        the source through ``link_field`` and the source to the action through
        ``back_field``; a source that already has its action gets it back. The
        proposal is said in the source's chatter."""
        if source.sudo()[back_field]:
            return source.sudo()[back_field]
        action = self.sudo().create(
            {
                "name": name,
                "type_action": type_action,
                "description": plaintext2html(description),
                "user_id": user.id,
                "company_id": source.company_id.id,
                link_field: source.id,
            }
        )
        source.sudo()[back_field] = action
        if "message_ids" in source._fields:
            source.message_post(
                body=self.env._("Improvement action %(action)s proposed.", action=action.name),
                subtype_xmlid="mail.mt_note",
            )
        return action

    # ------------------------------------------------------------ Check
    @api.depends("tsq_snapshot_id")
    def _compute_tsq_indicator_followup(self):
        for action in self:
            snapshot = action.tsq_snapshot_id
            action.tsq_indicator_followup = (
                action._tsq_followup_html(snapshot) if snapshot else False
            )

    def _tsq_followup_html(self, snapshot):
        """A small table: the figure that missed its target, then the same
        indicator in the following months (``snapshot._tsq_following``)."""
        # the figures are the engine's: it computes a missing month whoever reads
        snapshot = snapshot.sudo()
        following = snapshot._tsq_following(3) if hasattr(snapshot, "_tsq_following") else []
        statuses = dict(snapshot._fields["status"]._description_selection(self.env))
        css = {"met": "text-success", "missed": "text-danger"}
        rows = []
        for figure, is_source in [(snapshot, True)] + [(f, False) for f in following]:
            has_data = figure["has_data"]
            value = f"{figure['value']:.1f} %" if has_data else self.env._("no data")
            sign = "≥" if figure["direction"] == "ge" else "≤"
            target = f"{sign} {figure['target']:.1f} %" if figure["direction"] else "-"
            status = figure["status"] or "no_data"
            label = statuses.get(status, status)
            if figure["state"] == "open":
                label = self.env._("%(status)s (period in progress)", status=label)
            period = figure["period_label"] or ""
            if is_source:
                period = self.env._("%(period)s (source)", period=period)
            rows.append(
                Markup(
                    "<tr><td>%s</td><td class='text-end'>%s</td>"
                    "<td class='text-end'>%s</td><td class='%s'>%s</td></tr>"
                )
                % (period, value, target, css.get(status, "text-muted"), label)
            )
        if not following:
            rows.append(
                Markup("<tr><td colspan='4' class='text-muted'>%s</td></tr>")
                % self.env._("No figure yet for the following periods.")
            )
        head = Markup(
            "<table class='table table-sm o_tsq_followup'><thead><tr>"
            "<th>%s</th><th class='text-end'>%s</th><th class='text-end'>%s</th>"
            "<th>%s</th></tr></thead><tbody>"
        ) % (
            self.env._("Period"),
            self.env._("Value"),
            self.env._("Target"),
            self.env._("Status"),
        )
        return head + Markup("").join(rows) + Markup("</tbody></table>")

    # ------------------------------------------------------------ overdue
    @api.model
    def _tsq_today(self):
        return self.env.company._tsq_today()

    @api.depends("date_deadline", "stage_id.is_ending")
    def _compute_tsq_is_overdue(self):
        today = self._tsq_today()
        for action in self:
            action.tsq_is_overdue = bool(
                action.date_deadline
                and action.date_deadline < today
                and not action.stage_id.is_ending
            )

    def _search_tsq_is_overdue(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(self.env._("Unsupported search on the overdue flag."))
        overdue = [
            ("date_deadline", "<", self._tsq_today()),
            ("stage_id.is_ending", "!=", True),
        ]
        if (operator == "=") == bool(value):
            return overdue
        return [("id", "not in", self._search(overdue))]

    @api.model
    @in_agency_language
    def _tsq_cron_remind_overdue(self, batch_size=500):
        """Daily: remind the owner of each overdue action, once (an activity and
        a message). Safe to run twice: the reminder day is recorded."""
        actions = self.sudo().search(
            [("tsq_is_overdue", "=", True), ("tsq_overdue_reminded_on", "=", False)],
            order="date_deadline, id",
            limit=batch_size,
        )
        found = len(actions)
        # reminded once, by the run (of several servers) that claims the action
        actions = claim_rows(actions).filtered(lambda a: not a.tsq_overdue_reminded_on)
        activity_type = self.env.ref("tech_service_quality.mail_activity_type_action_overdue")
        today = self._tsq_today()
        for action in actions:

            def overdue(env, action=action):
                return env._(
                    "The improvement action %(action)s was due on %(deadline)s and is not closed.",
                    action=action.display_name,
                    deadline=action.company_id._tsq_format_date(action.date_deadline, env.lang),
                )

            owner = reader_lang(action, action.user_id)
            action.activity_schedule(
                activity_type_id=activity_type.id,
                summary=owner.env._("Overdue improvement action"),
                note=overdue(owner.env),
                user_id=action.user_id.id,
                date_deadline=today,
            )
            action.message_post(
                body=overdue(self.env),
                subtype_xmlid="mail.mt_note",
                partner_ids=action.user_id.partner_id.ids,
            )
        actions.write({"tsq_overdue_reminded_on": today})
        if found == batch_size:
            self.env.ref("tech_service_quality.ir_cron_tsq_action_overdue")._trigger()
        return actions

    # ------------------------------------------------------------ stages
    def _tsq_is_closing(self, stage):
        """An ending stage other than the cancellation: the action is closed."""
        cancel = self.env.ref("mgmtsystem_action.stage_cancel", raise_if_not_found=False)
        return bool(stage.is_ending and stage != cancel)

    def _tsq_missing_to_close(self):
        self.ensure_one()
        missing = []
        if not (self.tsq_cause or "").strip():
            missing.append(self.env._("Plan: the root cause"))
        if not (self.tsq_measures or "").strip():
            missing.append(self.env._("Plan: the measures"))
        if not self.date_deadline:
            missing.append(self.env._("Plan: the deadline"))
        if not self.tsq_done_at:
            missing.append(self.env._("Do: when the measures were carried out"))
        if self.tsq_effective == "pending":
            missing.append(self.env._("Check: the effectiveness decision"))
        if not ((self.tsq_check_evidence or "").strip() or self.tsq_check_attachment_ids):
            missing.append(self.env._("Check: the evidence (a note or a file)"))
        if self.tsq_effective == "effective":
            # Act: what worked is made the standard, and the record says where
            if not (self.tsq_act_description or "").strip():
                missing.append(self.env._("Act: the change made for good"))
            if not (
                self.tsq_procedure_id or self.tsq_gate_template_ids or self.tsq_indicator_target_ids
            ):
                missing.append(
                    self.env._(
                        "Act: the standard changed, linked (the revised procedure, the gate "
                        "checklist lines or the indicator targets)"
                    )
                )
        return missing

    @api.constrains("stage_id", "date_deadline")
    def _check_tsq_pdca_stage(self):
        for action in self:
            stage = action.stage_id
            if (
                stage
                and not stage.is_starting
                and not action.date_deadline
                and (not stage.is_ending or action._tsq_is_closing(stage))
            ):
                raise ValidationError(
                    self.env._(
                        "Set the deadline of the action %(action)s (Plan) before starting it.",
                        action=action.display_name,
                    )
                )
            if action._tsq_is_closing(stage):
                missing = action._tsq_missing_to_close()
                if missing:
                    raise ValidationError(
                        self.env._(
                            "The action %(action)s cannot be closed yet. Missing:\n%(missing)s",
                            action=action.display_name,
                            missing="\n".join(f"- {item}" for item in missing),
                        )
                    )

    @api.constrains("tsq_effective", "tsq_done_at")
    def _check_tsq_check_after_do(self):
        for action in self:
            if action.tsq_effective != "pending" and not action.tsq_done_at:
                raise ValidationError(
                    self.env._(
                        "The action %(action)s: record when the measures were carried out "
                        "(Do) before deciding their effectiveness (Check).",
                        action=action.display_name,
                    )
                )

    # ------------------------------------------------------------ guards
    def init(self):
        res = super().init()
        # actions the product proposed before the system field was set
        system = self.env.ref(
            "tech_service_quality.mgmtsystem_system_service_quality", raise_if_not_found=False
        )
        if system:
            links = [
                name for name in self._fields if name.startswith("tsq_") and name.endswith("_id")
            ]
            links = [
                n for n in links if self._fields[n].store and self._fields[n].type == "many2one"
            ]
            condition = " OR ".join(f"{n} IS NOT NULL" for n in links) or "FALSE"
            self.env.cr.execute(
                f"UPDATE mgmtsystem_action SET system_id = %s WHERE system_id IS NULL AND ({condition})",  # noqa: S608 (field names of the model)
                [system.id],
            )
        return res

    @api.model_create_multi
    def create(self, vals_list):
        self.env["res.company"]._tsq_set_mgmtsystem(vals_list)
        for vals in vals_list:
            if vals.get("tsq_effective", "pending") != "pending":
                vals.setdefault("tsq_checked_by", self.env.uid)
                vals.setdefault("tsq_checked_at", fields.Datetime.now())
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._tsq_check_write(vals)
        if "tsq_effective" in vals:
            decided = vals["tsq_effective"] != "pending"
            vals = dict(
                vals,
                tsq_checked_by=self.env.uid if decided else False,
                tsq_checked_at=fields.Datetime.now() if decided else False,
            )
        redated = self.browse()
        if "date_deadline" in vals:
            new = fields.Date.to_date(vals["date_deadline"])
            redated = self.filtered(lambda a: a.tsq_overdue_reminded_on and a.date_deadline != new)
        res = super().write(vals)
        if redated:
            # a new deadline: the owner may be reminded again when it passes
            redated.sudo().write({"tsq_overdue_reminded_on": False})
        return res

    def _tsq_check_write(self, vals):
        if "tsq_effective" in vals and not any(
            self.env.user.has_group(group) for group in CHECKER_GROUPS
        ):
            raise AccessError(
                self.env._(
                    "Only a Service Manager or a Quality Manager decides whether an "
                    "improvement action was effective."
                )
            )
        links = {name for name, _kind in self._tsq_source_links()} & set(vals)
        if links:
            raise UserError(self.env._("The source of an improvement action is set by the system."))
        touched = PDCA_FIELDS & set(vals)
        if touched:
            closed = self.filtered(lambda a: a.stage_id.is_ending)
            if closed and "stage_id" not in vals:
                raise UserError(
                    self.env._(
                        "The action %(action)s is closed: its Plan, Do, Check and Act are "
                        "a record. Reopen it to change them.",
                        action=closed[0].display_name,
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_proposed(self):
        proposed = self.filtered(lambda a: a.tsq_source_kind != "manual")
        if proposed:
            raise UserError(
                self.env._(
                    "The action %(action)s was proposed by a quality record and cannot be "
                    "deleted; cancel it instead.",
                    action=proposed[0].display_name,
                )
            )

    # ------------------------------------------------------------ buttons
    def _tsq_form_action(self):
        self.ensure_one()
        return self.get_formview_action()

    def action_tsq_mark_done(self):
        """Do: the measures are carried out."""
        for action in self:
            if not (action.tsq_do_notes or "").strip():
                raise UserError(
                    self.env._(
                        "Describe what was done for the action %(action)s first.",
                        action=action.display_name,
                    )
                )
            if not action.tsq_done_at:
                action.tsq_done_at = fields.Datetime.now()
        return True
