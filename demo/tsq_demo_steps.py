"""The steps of the demo story: moving a service, its gates, plan, contract,
changes, acceptance, and the backdating of every step (see tsq_demo_loader)."""

import base64
import io
import math
import zlib
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from odoo import Command, fields
from odoo.tools import SQL

from ..lib.stages import OPEN_STAGES

TZ = ZoneInfo("Asia/Shanghai")


ANCHOR = date(2026, 11, 24)


MODULE = "tech_service_quality"


# The first service of the story: if it exists, the demo has been loaded.
MARKER = "2026 年度高新技术企业认定申报辅导"


# Evidence files for the document items of the gate checklists.
EVIDENCE_FILES = {
    "Signed contract archived": "技术服务合同（双方盖章）扫描件.pdf",
    "Power of attorney signed by the client": "专利代理委托书（客户签章）.pdf",
    "Technology contract registered (技术合同登记)": "技术合同认定登记证明.pdf",
    "Current-state diagnosis report attached": "现状诊断报告.pdf",
    "Incubation entry assessment attached": "入孵评估表.pdf",
    "Policy applicability analysis attached": "政策适用性分析.pdf",
    "Service file archived (all records of the six stages)": "服务档案目录（六阶段记录）.pdf",
}


# A blank one-page PDF, the body of every demo file.
_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


STAFF = ("zhang_wei", "wang_fang", "li_qiang", "liu_yang", "chen_jing", "zhao_min")


def _signature(name):
    """A hand-drawn-looking signature stroke, different for every signer."""
    from PIL import Image, ImageDraw

    seed = zlib.crc32(name.encode()) % 1000
    img = Image.new("RGBA", (320, 100), (255, 255, 255, 0))
    draw = ImageDraw.Draw(img)
    points = [
        (
            20 + x,
            52
            + 20 * math.sin(x / (9 + seed % 7)) * math.cos(x / (31 + seed % 11))
            + 6 * math.sin(x / 4.0 + seed),
        )
        for x in range(0, 270, 2)
    ]
    draw.line(points, fill=(25, 45, 125, 255), width=3, joint="curve")
    draw.line([(60, 84), (250, 78 - seed % 9)], fill=(25, 45, 125, 255), width=2)
    buffer = io.BytesIO()
    img.save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue())


class _DemoSteps:
    """What one step of the story does, and when it is told to have happened."""

    # ------------------------------------------------------------ time
    def _max_id(self, table):
        self.env.cr.execute(SQL("SELECT COALESCE(MAX(id), 0) FROM %s", SQL.identifier(table)))
        return self.env.cr.fetchone()[0]

    def _workday(self, day):
        kind = self.exceptions.get(day)
        if kind:
            return kind == "workday"
        return day.weekday() < 5

    def _add_wd(self, day, count):
        while count > 0 or not self._workday(day):
            day += timedelta(days=1)
            if self._workday(day):
                count -= 1
        return day

    def _utc(self, day, hour, minute=0):
        """Local time on ``day`` of the story, moved to today's frame, as naive UTC."""
        local = datetime.combine(day + self.shift, time(hour, minute), TZ)
        return local.astimezone(UTC).replace(tzinfo=None)

    def _date(self, day):
        return day + self.shift

    @staticmethod
    def _parse(value):
        return datetime.strptime(value, "%Y-%m-%d %H:%M")

    # ------------------------------------------------------- bookkeeping
    def _set(self, records, column, value):
        if records:
            self.updates.append((records._table, column, tuple(records.ids), value))

    def _step(self, when):
        """Everything logged in the chatter since the last step happened at ``when``."""
        last = self._max_id("mail_message")
        if last > self.msg_mark:
            self.updates.append(("mail_message", "date", ("range", self.msg_mark, last), when))
        self.msg_mark = last

    def _attachment(self, user, service, name):
        return (
            self.env["ir.attachment"]
            .with_user(user)
            .create(
                {
                    "name": name,
                    "datas": base64.b64encode(_PDF),
                    "mimetype": "application/pdf",
                    "res_model": "project.project",
                    "res_id": service.id,
                }
            )
        )

    def _signature(self, name):
        if name not in self.signatures:
            self.signatures[name] = _signature(name)
        return self.signatures[name]

    # ------------------------------------------------------------ steps
    def _moved(self, service, when):
        """Date the passage just recorded and the start of the new stage."""
        passage = service.gate_passage_ids.sorted("id")[-1:]
        self._set(passage, "date", when)
        self._set(passage, "create_date", when)
        self._set(service, "stage_entered_at", when)
        self._step(when)

    def _do_items(self, ctx, day, hour):
        """The current gate's checklist: work by the responsible, evidence where
        required, approvals by the manager (who did none of the work)."""
        service, user, manager = ctx["service"], ctx["user"], ctx["manager"]
        items = service.gate_item_ids.filtered(
            lambda i: i.stage == service.service_stage and not i.done
        )
        work = items.filtered(lambda i: i.kind != "approval")
        for item in work:
            if item.evidence_required:
                name = EVIDENCE_FILES.get(item.name, f"{item.name}.pdf")
                item.with_user(user).write(
                    {"attachment_ids": [Command.link(self._attachment(user, service, name).id)]}
                )
            item.with_user(user).write({"done": True})
        self._set(work, "done_at", self._utc(day, hour, 0))
        approvals = items - work
        for item in approvals:
            approver = manager
            if item.approver_group_id and item.approver_group_id not in approver.groups_id:
                approver = next(
                    u
                    for u in self.staff.values()
                    if item.approver_group_id in u.groups_id and u != user
                )
            item.with_user(approver).write({"done": True})
        self._set(approvals, "done_at", self._utc(day, hour, 40))
        self._step(self._utc(day, hour, 40))

    def _pass_gate(self, ctx, day, hour, minute, items=True):
        service = ctx["service"]
        if items:
            self._do_items(ctx, day, max(hour - 1, 9))
        service.with_user(ctx["user"]).action_pass_gate()
        self._moved(service, self._utc(day, hour, minute))

    def _confirm_plan(self, ctx, day):
        service, user, client = ctx["service"], ctx["user"], ctx["client"]
        portal = self.portal.get(client)
        if portal:
            service.with_user(portal).sudo()._tsq_confirm_plan(client.name, "portal")
        else:
            evidence = self._attachment(user, service, "服务方案确认函（客户盖章）.pdf")
            service.with_user(user).write(
                {"plan_confirm_attachment_ids": [Command.link(evidence.id)]}
            )
            service.with_user(user).action_record_plan_confirmation()
        when = self._utc(day, 14, 30)
        self._set(service, "plan_confirmed_at", when)
        self._step(when)

    def _sign_contract(self, ctx, day, contract_ref, delivery):
        service, user = ctx["service"], ctx["user"]
        vals = {name: True for name in service._fields if name.startswith("term_")}
        contract = self._attachment(user, service, f"{contract_ref} 技术服务合同.pdf")
        vals.update(
            contract_ref=contract_ref,
            contract_signed_date=self._date(day),
            contract_delivery_date=self._date(delivery),
            contract_attachment_ids=[Command.link(contract.id)],
        )
        service.with_user(user).write(vals)
        self._step(self._utc(day, 11, 0))
        self._pass_gate(ctx, day, 17, 0)

    def _change_request(self, ctx, day, data):
        service, user, manager = ctx["service"], ctx["user"], ctx["manager"]
        change = (
            self.env["tsq.change.request"]
            .with_user(user)
            .create(
                {
                    "service_id": service.id,
                    "name": data["name"],
                    "description": data["description"],
                    "impact": data["impact"],
                    "requested_by": data["requested_by"],
                }
            )
        )
        self._set(change, "create_date", self._utc(day, 10, 0))
        self._step(self._utc(day, 10, 0))
        if data["settle"] == "draft":
            return
        change.with_user(manager).action_approve()
        self._set(change, "approved_at", self._utc(day, 15, 0))
        self._step(self._utc(day, 15, 0))
        consent_day = self._add_wd(day, 1)
        evidence = self._attachment(user, service, f"变更确认函：{data['name']}.pdf")
        change.with_user(user).write({"consent_attachment_ids": [Command.link(evidence.id)]})
        change.with_user(user).action_record_consent()
        self._set(change, "consent_at", self._utc(consent_day, 11, 0))
        self._step(self._utc(consent_day, 11, 0))

    def _move_back(self, ctx, day, data):
        """Back to S3 (with the reason) for a supplementary agreement."""
        service, user, manager = ctx["service"], ctx["user"], ctx["manager"]
        self.env["tsq.stage.move.wizard"].with_user(manager).create(
            {
                "service_id": service.id,
                "mode": "back",
                "target_stage": "s3",
                "reason": data["reason"],
            }
        ).action_confirm()
        self._moved(service, self._utc(day, 10, 30))
        next_day = self._add_wd(day, 1)
        service.with_user(user).message_post(body=data["note"], subtype_xmlid="mail.mt_note")
        self._step(self._utc(next_day, 15, 0))

    def _acceptance(self, ctx, day, decision_gap):
        """Submit the deliverables; the client accepts or objects. Returns the
        day of the last decision."""
        service, user, client = ctx["service"], ctx["user"], ctx["client"]
        portal = self.portal.get(client)
        Acceptance = self.env["tsq.acceptance"]
        for decision in ctx["spec"]["acceptance"]:
            acceptance = Acceptance.with_user(user).create(
                {"service_id": service.id, "note": "交付物已移交，请审阅后签署验收。"}
            )
            self.acceptances |= acceptance
            submitted = self._utc(day, 10, 0)
            self._set(acceptance, "submitted_at", submitted)
            self._set(acceptance, "create_date", submitted)
            self._step(submitted)
            if decision.get("wait"):
                return day
            if decision.get("accept"):
                day = self._add_wd(day, decision_gap)
                if decision["accept"] == "portal" and portal:
                    acceptance.with_user(portal).sudo()._accept(
                        client.name, self._signature(client.name), "portal"
                    )
                else:
                    # demo content written by a person, not an interface string
                    acceptance.with_user(user).message_post(  # pylint: disable=translation-required
                        body="客户签署的验收单扫描件。",
                        attachments=[("验收单（客户签字盖章）.pdf", _PDF)],
                    )
                    acceptance.with_user(user).with_context(
                        tsq_signature=self._signature(client.name)
                    ).action_record_acceptance()
                decided = self._utc(day, 15, 0)
                self._set(acceptance, "decided_at", decided)
                visit = service.return_visit_ids[:1]
                self._set(visit, "create_date", decided)
                due = self._date(day) + timedelta(
                    days=service.service_category_id.return_visit_days
                )
                self._set(visit, "due_date", due)
                for activity in visit.activity_ids:
                    self.activity_dates[activity.id] = due
                self._step(decided)
                return day
            # an objection, raised by the client in the portal
            day = self._add_wd(day, 1)
            reason = decision.get("object") or decision.get("object_open")
            raiser = acceptance.with_user(portal).sudo() if portal else acceptance.sudo()
            before = service.activity_ids
            raiser._raise_objection(reason, "portal" if portal else "recorded")
            raised = self._utc(day, 14, 0)
            deadline = service.company_id._tsq_add_limit(
                raised, service.service_category_id.objection_days, "working_days"
            )
            self._set(acceptance, "decided_at", raised)
            self._set(acceptance, "objection_deadline", deadline)
            for activity in service.activity_ids - before:
                self.activity_dates[activity.id] = fields.Datetime.context_timestamp(
                    service, deadline
                ).date()
            self._step(raised)
            if decision.get("object_open"):
                return day
            # handled: outcome written, objection closed, a revised deliverable
            day = self._add_wd(day, 2)
            acceptance.with_user(user).write({"objection_outcome": decision["outcome"]})
            acceptance.with_user(user).action_close_objection()
            closed = self._utc(day, 16, 0)
            self._set(acceptance, "objection_closed_at", closed)
            self._step(closed)
            day = self._add_wd(day, 1)
            name, description = decision["revision"]
            revision = (
                self.env["tsq.deliverable"]
                .with_user(user)
                .create(
                    {
                        "service_id": service.id,
                        "sequence": 100,
                        "name": name,
                        "description": description,
                        "attachment_ids": [
                            Command.link(self._attachment(user, service, f"{name}.pdf").id)
                        ],
                    }
                )
            )
            revision.with_user(user).action_hand_over()
            self._set(revision, "create_date", self._utc(day, 9, 0))
            self._set(revision, "handed_over_at", self._utc(day, 9, 10))
            self._step(self._utc(day, 9, 10))
        return day

    # -------------------------------------------------------- backdating
    def backdate(self):
        """Write the story's moments over the system's "now" (demo only), then
        recompute what is stored from them."""
        env = self.env
        env.flush_all()
        cr = env.cr
        for table, column, ids, value in self.updates:
            if ids and ids[0] == "range":
                where = SQL("id > %s AND id <= %s", ids[1], ids[2])
            else:
                where = SQL("id = ANY(%s)", list(ids))
            cr.execute(
                SQL(
                    "UPDATE %s SET %s = %s WHERE %s",
                    SQL.identifier(table),
                    SQL.identifier(column),
                    value,
                    where,
                )
            )
        env.invalidate_all()
        # stored values computed from the backdated moments
        self.services.modified(["stage_entered_at"])
        self.acceptances.modified(["submitted_at", "decided_at"])
        env.flush_all()
        # the open to-dos follow the story's deadlines
        for service in self.services.filtered(lambda s: s.service_stage in OPEN_STAGES):
            deadline = service.stage_deadline
            if not deadline:
                continue
            day = service.company_id._tsq_due_date(deadline)
            stage_type = env.ref(f"{MODULE}.mail_activity_type_stage_gate")
            for activity in service.activity_ids.filtered(
                lambda a, t=stage_type: a.activity_type_id == t and a.id not in self.activity_dates
            ):
                self.activity_dates[activity.id] = day
        for activity_id, day in self.activity_dates.items():
            env["mail.activity"].browse(activity_id).exists().sudo().write({"date_deadline": day})
        # the e-mails of the story belong to its past: count them as sent, as
        # the mail queue does, instead of mailing the demo clients at install
        mails = (
            env["mail.mail"]
            .sudo()
            .search([("mail_message_id", ">", self.first_msg), ("is_notification", "=", True)])
        )
        env["mail.notification"].sudo().search([("mail_mail_id", "in", mails.ids)]).write(
            {"notification_status": "sent"}
        )
        mails.unlink()
        env.flush_all()
