"""Builds each demo service of the story through the real lifecycle."""

from datetime import datetime, timedelta

from odoo import Command, fields

from .tsq_demo_steps import ANCHOR, MODULE, STAFF, _DemoSteps


class _DemoBuilder(_DemoSteps):
    """Walks the demo services through their stages and remembers, for every
    step, the moment it is told to have happened."""

    def __init__(self, env):
        self.env = env
        self.staff = {key: env.ref(f"{MODULE}.user_{key}_demo") for key in STAFF}
        self.portal = {
            user.partner_id: user
            for user in (
                env.ref(f"{MODULE}.user_client{i}_demo", raise_if_not_found=False)
                for i in (1, 2, 3)
            )
            if user
        }
        today = fields.Date.context_today(env["res.partner"])
        # whole weeks, so that weekdays stay weekdays
        self.shift = timedelta(weeks=(today - ANCHOR).days // 7)
        self.exceptions = {
            rec["date"]: rec["kind"]
            for rec in env["tsq.calendar.exception"]
            .sudo()
            .search_read([("company_id", "=", False)], ["date", "kind"])
        }
        self.updates = []  # (table, column, ids, value)
        self.services = env["project.project"]
        self.acceptances = env["tsq.acceptance"]
        self.activity_dates = {}  # mail.activity id -> date
        self.msg_mark = self.first_msg = self._max_id("mail_message")
        self.signatures = {}

    # --------------------------------------------------------- the walk
    def build(self, spec):
        user = self.staff[spec["user"]]
        manager = self.staff[spec["manager"]]
        client = self.env.ref(f"{MODULE}.{spec['client']}")
        category = self.env.ref(f"{MODULE}.service_category_{spec['category']}")
        received = self._parse(spec["received"])
        received_utc = self._utc(received.date(), received.hour, received.minute)
        ctx = {"user": user, "manager": manager, "client": client, "spec": spec}

        service = (
            self.env["project.project"]
            .with_user(user)
            .create(
                {
                    "name": spec["name"],
                    "is_service": True,
                    "partner_id": client.id,
                    "service_category_id": category.id,
                    "service_team_id": self.env.ref(f"{MODULE}.{spec['team']}").id,
                    "user_id": user.id,
                    "inquiry_received_at": received_utc,
                    "inquiry_channel": spec["channel"],
                    "inquiry_summary": spec["summary"],
                }
            )
        )
        service = service.with_user(self.env.user)
        ctx["service"] = service
        self.services |= service
        self._set(service, "create_date", received_utc)
        self._set(service, "stage_entered_at", received_utc)
        self._step(received_utc)

        # first response (the only thing some new inquiries have)
        response_at = received + timedelta(minutes=spec["response_minutes"])
        response_utc = self._utc(response_at.date(), response_at.hour, response_at.minute)
        service.with_user(user).write(
            {"first_response_at": response_utc, "first_response_note": spec["response"]}
        )
        self._step(response_utc)
        day = response_at.date()
        if spec.get("needs"):
            service.with_user(user).write({"needs_analysis": spec["needs"]})
            self._step(self._utc(day, min(response_at.hour + 2, 17), 10))
        if spec["stage"] == "s1":
            return

        gaps = spec["gaps"]
        # S1: feasibility, then decline or gate
        day = self._add_wd(day, gaps[0])
        if spec.get("decline"):
            service.with_user(manager).write(
                {
                    "feasibility": "decline",
                    "feasibility_reason": spec["decline"],
                    "feasibility_user_id": manager.id,
                }
            )
            service.with_user(manager).action_decline()
            self._moved(service, self._utc(day, 11, 30))
            return
        service.with_user(manager).write(
            {
                "feasibility": "accept",
                "feasibility_reason": spec["feasibility"],
                "feasibility_user_id": manager.id,
            }
        )
        self._step(self._utc(day, 10, 0))
        self._pass_gate(ctx, day, 16, 30)

        # S2: the plan, the internal review, the client's confirmation
        s2_start = day
        plan = spec["plan"]
        day = self._add_wd(day, 1)
        vals = {
            "plan_objectives": plan["objectives"],
            "plan_scope": plan["scope"],
            "service_member_ids": [Command.set((user | manager).ids)],
        }
        if spec.get("plan_partial") == "draft":
            service.with_user(user).write(vals)
            self._step(self._utc(day, 15, 20))
            return
        vals.update(
            plan_content=plan["content"],
            plan_deliverables=plan["deliverables"],
            plan_fee=plan["fee"],
            plan_risks=plan["risks"],
        )
        service.with_user(user).write(vals)
        self._step(self._utc(day, 11, 0))
        s2_end = self._add_wd(s2_start, gaps[1]) if len(gaps) > 1 else day
        # milestones are planned from the expected contract date
        expected_contract = self._add_wd(s2_end, gaps[2] if len(gaps) > 2 else 5)
        service.with_user(user).write(
            {
                "service_milestone_ids": [
                    Command.create(
                        {
                            "name": name,
                            "sequence": 10 * (i + 1),
                            "planned_date": self._date(self._add_wd(expected_contract, planned)),
                        }
                    )
                    for i, (name, planned, _done) in enumerate(spec.get("milestones", []))
                ]
            }
        )
        self._step(self._utc(day, 11, 20))
        review_day = self._add_wd(day, 1) if s2_end > day else day
        self._do_items(ctx, review_day, 13)
        if spec.get("plan_partial") == "awaiting_client":
            return
        self._confirm_plan(ctx, s2_end)
        self._pass_gate(ctx, s2_end, 16, 0, items=False)

        # S3: the contract
        day = s2_end
        if (spec["stage"] == "s3" and "move_back" not in spec) or spec.get("cancel_in") == "s3":
            draft_day = self._add_wd(day, 2)
            terms = dict.fromkeys(spec.get("terms", []), True)
            service.with_user(user).write({"contract_ref": spec["contract_draft"], **terms})
            self._step(self._utc(draft_day, 14, 0))
            if spec.get("cancel"):
                cancel_day = self._add_wd(day, gaps[2])
                self.env["tsq.stage.move.wizard"].with_user(manager).create(
                    {"service_id": service.id, "mode": "cancel", "reason": spec["cancel"]}
                ).action_confirm()
                self._moved(service, self._utc(cancel_day, 17, 0))
            return
        day = self._add_wd(day, gaps[2])
        contract_ref, delivery_wd = spec["contract"]
        s4_end = self._add_wd(day, gaps[3]) if len(gaps) > 3 else None
        if spec.get("delivery"):
            delivery = datetime.strptime(spec["delivery"], "%Y-%m-%d").date()
        else:
            delivery = self._add_wd(day, delivery_wd)
        self._sign_contract(ctx, day, contract_ref, delivery)
        contract_day = day

        # S4: milestones, progress reports, change requests
        events = []
        for i, (_name, _planned, done) in enumerate(spec.get("milestones", [])):
            if done is not None:
                events.append((done, "milestone", i))
        for offset, summary in spec.get("reports", []):
            events.append((offset, "report", summary))
        for change in spec.get("changes", []):
            events.append((change["offset"], "change", change))
        move_back = spec.get("move_back")
        if move_back:
            events.append((move_back["offset"], "back", move_back))
        milestones = service.service_milestone_ids.sorted("sequence")
        for offset, kind, data in sorted(events, key=lambda e: (e[0], e[1])):
            when_day = self._add_wd(contract_day, offset)
            if kind == "milestone":
                milestones[data].with_user(user).write({"done_date": self._date(when_day)})
                self._step(self._utc(when_day, 11, 0))
            elif kind == "report":
                report = (
                    self.env["tsq.progress.report"]
                    .with_user(user)
                    .create(
                        {
                            "service_id": service.id,
                            "date": self._date(when_day),
                            "summary": data,
                        }
                    )
                )
                report.action_send()
                when = self._utc(when_day, 14, 0)
                self._set(report, "create_date", when)
                self._set(report, "sent_at", when)
                self._step(when)
            elif kind == "change":
                self._change_request(ctx, when_day, data)
            else:
                self._move_back(ctx, when_day, data)
                return
        if spec["stage"] == "s4":
            return
        self._do_items(ctx, s4_end, 15)
        self._pass_gate(ctx, s4_end, 16, 30, items=False)

        # S5: deliverables, submission(s), the client's decision
        day = self._add_wd(s4_end, 1)
        deliverables = self.env["tsq.deliverable"]
        for seq, (name, description) in enumerate(spec["deliverables"], start=1):
            deliverable = (
                self.env["tsq.deliverable"]
                .with_user(user)
                .create(
                    {
                        "service_id": service.id,
                        "sequence": seq * 10,
                        "name": name,
                        "description": description or False,
                        "due_date": self._date(delivery),
                        "attachment_ids": [
                            Command.link(self._attachment(user, service, f"{name}.pdf").id)
                        ],
                    }
                )
            )
            deliverables |= deliverable
        deliverables.with_user(user).action_hand_over()
        self._set(deliverables, "create_date", self._utc(day, 9, 30))
        self._set(deliverables, "handed_over_at", self._utc(day, 9, 40))
        self._step(self._utc(day, 9, 40))
        decided_day = self._acceptance(ctx, day, gaps[4] if len(gaps) > 4 else 2)
        if spec["stage"] == "s5":
            return
        self._do_items(ctx, decided_day, 16)
        self._pass_gate(ctx, decided_day, 17, 0, items=False)

        # S6: the return visit, the file archived
        if "visit" not in spec:
            return
        visit = service.return_visit_ids[:1]
        visit_day = self._add_wd(decided_day + timedelta(days=category.return_visit_days - 1), 1)
        score, comments, channel = spec["visit"]
        portal = self.portal.get(client)
        if channel == "portal" and portal:
            visit.with_user(portal).sudo()._record(score, comments, "portal", client.name)
        else:
            visit.with_user(user)._record(score, comments, channel, client.name)
        when = self._utc(visit_day, 10, 30)
        self._set(visit, "done_at", when)
        feedback = self.env["tsq.feedback"].sudo().search([("service_id", "=", service.id)])
        self._set(feedback, "submitted_at", when)
        self._set(feedback, "create_date", when)
        self._step(when)
        self._do_items(ctx, visit_day, 15)
        self._pass_gate(ctx, visit_day, 16, 0, items=False)
