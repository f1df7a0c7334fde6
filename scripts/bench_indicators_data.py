# Copyright 2026 Tech Service Quality contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The data of scripts/bench_indicators.py, bulk-inserted straight in SQL (INSERT ...
SELECT generate_series; the ORM would take hours): services with their acceptance
submissions and return visits, tickets with their SLA clocks, and feedback, spread
over 2025 with the edge cases of INDICATORS.md. The caller rolls it all back."""

TABLES = (
    "res_partner",
    "project_project",
    "tsq_acceptance",
    "tsq_return_visit",
    "helpdesk_ticket",
    "tsq_sla_clock",
    "tsq_feedback",
)
# 2025-01-01 00:00 in Asia/Shanghai, as naive UTC; the spread runs over 366 days
# from 12 hours before it, so that a few records fall just outside 2025.
SPREAD = (
    "(timestamp '2024-12-31 16:00' + (((g::bigint * {m}) %% 31622400) - 43200) * interval '1 s')"
)

AUDIT = "create_uid, write_uid, create_date, write_date"
AUDIT_VALUES = "%(uid)s, %(uid)s, now() at time zone 'UTC', now() at time zone 'UTC'"


def _ids(cr, query, params=None):
    cr.execute(query, params)
    return [row[0] for row in cr.fetchall()]


def insert(env, size):
    """``size`` tickets and feedback responses, ``size // 10`` services, in SQL:
    (number of services, number of rows inserted in all tables)."""
    cr = env.cr
    services = max(size // 10, 1)
    categories = _ids(cr, "SELECT id FROM tsq_service_category ORDER BY id")
    teams = _ids(cr, "SELECT id FROM helpdesk_ticket_team ORDER BY id")
    common = {
        "company": env.company.id,
        "uid": env.uid,
        "categories": categories or [None],
        "teams": teams or [None],
        "alias": _ids(cr, "SELECT min(id) FROM mail_alias")[0],
        "services": services,
        "size": size,
        "partners": max(3000, size // 300),
    }
    partner_ids = _insert_partners(cr, common)
    service_ids = _insert_services(cr, common)
    # the ids of one INSERT follow each other: g maps to first + g
    assert service_ids[-1] - service_ids[0] + 1 == len(service_ids)
    params = dict(common, first=service_ids[0], last=service_ids[-1])
    rows = len(partner_ids) + len(service_ids)
    rows += _insert_acceptances(cr, params)
    rows += _insert_return_visits(cr, params)
    ticket_ids = _insert_tickets(env, params)
    assert ticket_ids[-1] - ticket_ids[0] + 1 == len(ticket_ids)
    params.update(ticket_first=ticket_ids[0], ticket_last=ticket_ids[-1])
    rows += len(ticket_ids)
    rows += _insert_clocks(cr, params)
    rows += _insert_feedback(cr, dict(params, partner_ids=partner_ids))
    for table in TABLES:
        cr.execute(f"ANALYZE {table}")
    return len(service_ids), rows


def _insert_partners(cr, common):
    return _ids(
        cr,
        f"""INSERT INTO res_partner (name, complete_name, type, active, is_company, {AUDIT})
            SELECT 'Bench client ' || g, 'Bench client ' || g, 'contact', true, true,
                   {AUDIT_VALUES}
              FROM generate_series(1, %(partners)s) g RETURNING id""",
        common,
    )


def _insert_services(cr, common):
    # Services: stage mostly S4..done; 5 % cancelled, 5 % declined, 2 % archived;
    # some without an inquiry time, a response deadline or a first response.
    return _ids(
        cr,
        f"""INSERT INTO project_project (name, alias_id, privacy_visibility, rating_status,
                rating_status_period, last_update_status, active, is_service, company_id,
                service_category_id, service_team_id, inquiry_received_at, response_deadline,
                first_response_at, contract_delivery_date, delivered_at, service_stage,
                stage_entered_at, create_uid, write_uid, create_date, write_date)
            SELECT jsonb_build_object('en_US', 'Bench service ' || g), %(alias)s, 'followers',
                   'stage', 'monthly', 'to_define', g %% 53 != 0, true, %(company)s,
                   CASE WHEN g %% 17 != 0
                        THEN (%(categories)s::int[])[1 + g %% cardinality(%(categories)s::int[])]
                   END,
                   CASE WHEN g %% 13 != 0
                        THEN (%(teams)s::int[])[1 + g %% cardinality(%(teams)s::int[])] END,
                   CASE WHEN g %% 41 != 0 THEN ts END,
                   CASE WHEN g %% 7 != 0 THEN ts + interval '1 day' END,
                   CASE WHEN g %% 10 != 0 THEN ts + (g * 37 %% 40) * interval '1 hour' END,
                   delivery,
                   CASE g %% 6
                        WHEN 1 THEN delivery + time '23:30' - interval '8 hours'
                        WHEN 2 THEN delivery + time '00:30' + interval '16 hours'
                        WHEN 3 THEN delivery - 3 + time '10:00'
                        WHEN 4 THEN delivery + 5 + time '02:00'
                        WHEN 5 THEN delivery - 10 + time '06:00'
                   END,
                   stage,
                   CASE WHEN stage = 'done' AND g %% 97 != 0
                        THEN ts + (g %% 200) * interval '1 day'
                        WHEN stage != 'done' THEN ts + interval '1 day' END,
                   %(uid)s, %(uid)s, ts - interval '2 hours', ts
              FROM (SELECT g, {SPREAD.format(m=7919)} AS ts,
                           date '2025-01-01' + (g * 131 %% 372 - 3)::int AS delivery,
                           CASE g %% 20 WHEN 0 THEN 'cancelled' WHEN 1 THEN 'declined'
                                WHEN 2 THEN 's1' WHEN 3 THEN 's4' WHEN 4 THEN 's5'
                                WHEN 5 THEN 's5' WHEN 6 THEN 's6' WHEN 7 THEN 's6'
                                ELSE 'done' END AS stage
                      FROM generate_series(1, %(services)s) g) x
            RETURNING id""",
        common,
    )


def _insert_acceptances(cr, params):
    # First acceptance submissions (4 services in 5), some still awaiting the
    # client; a second submission after each objection.
    cr.execute(
        f"""INSERT INTO tsq_acceptance (service_id, company_id, sequence, state, submitted_at,
                decided_at, {AUDIT})
            SELECT id, %(company)s, 1, state, sub, CASE WHEN state != 'submitted'
                   THEN sub + interval '2 days' END, {AUDIT_VALUES}
              FROM (SELECT id, create_date + (id %% 60) * interval '1 day' AS sub,
                           CASE WHEN id %% 11 = 0 THEN 'submitted'
                                WHEN id %% 7 = 0 THEN 'objection'
                                WHEN id %% 13 = 0 THEN 'objection_closed'
                                ELSE 'accepted' END AS state
                      FROM project_project
                     WHERE id BETWEEN %(first)s AND %(last)s AND id %% 5 != 0) x
            UNION ALL
            SELECT id, %(company)s, 2, 'accepted', create_date + interval '70 days',
                   create_date + interval '71 days', {AUDIT_VALUES}
              FROM project_project
             WHERE id BETWEEN %(first)s AND %(last)s AND id %% 5 != 0 AND id %% 7 = 0
                   AND id %% 11 != 0""",
        params,
    )
    return cr.rowcount


def _insert_return_visits(cr, params):
    # Return visits (3 services in 4), due over 2025: done early, on the due day at
    # 23:30 local, at 00:30 the day after, late, or not at all.
    cr.execute(
        f"""INSERT INTO tsq_return_visit (service_id, company_id, due_date, done_at, {AUDIT})
            SELECT id, %(company)s, due, CASE id %% 5
                       WHEN 1 THEN due + time '23:30' - interval '8 hours'
                       WHEN 2 THEN due + time '00:30' + interval '16 hours'
                       WHEN 3 THEN due - 2 + time '03:00'
                       WHEN 4 THEN due + 3 + time '03:00' END, {AUDIT_VALUES}
              FROM (SELECT id, date '2025-01-01' + (id * 173 %% 372 - 3)::int AS due
                      FROM project_project
                     WHERE id BETWEEN %(first)s AND %(last)s AND id %% 4 != 0) x""",
        params,
    )
    return cr.rowcount


def _insert_tickets(env, params):
    cr = env.cr
    stage = {
        name: env.ref(f"helpdesk_mgmt.helpdesk_ticket_stage_{name}").id
        for name in ("new", "in_progress", "awaiting", "done", "cancelled", "rejected")
    }
    # Tickets: a fifth complaints, two fifths after-sales requests; a third about a
    # service; 3 % archived. Every ticket has its received time (the add-on fills it
    # from the creation time for tickets older than itself).
    return _ids(
        cr,
        f"""INSERT INTO helpdesk_ticket (number, name, description, company_id, active,
                stage_id, team_id, priority, kanban_state, is_complaint, tsq_kind,
                tsq_received_at, tsq_validity, tsq_judged_at, service_id, {AUDIT})
            SELECT 'BENCH' || g, 'Bench ticket ' || g, '<p>bench</p>', %(company)s,
                   g %% 37 != 0,
                   CASE g / 3 %% 10 WHEN 0 THEN %(cancelled)s WHEN 1 THEN %(new)s
                        WHEN 2 THEN %(new)s WHEN 3 THEN %(in_progress)s
                        WHEN 4 THEN %(awaiting)s WHEN 5 THEN %(rejected)s ELSE %(done)s END,
                   CASE WHEN g %% 9 != 0
                        THEN (%(teams)s::int[])[1 + g %% cardinality(%(teams)s::int[])] END,
                   '1', 'normal', kind = 'complaint', kind,
                   ts,
                   CASE WHEN kind != 'complaint' THEN 'pending'
                        WHEN g / 5 %% 4 IN (0, 3) THEN 'valid'
                        WHEN g / 5 %% 4 = 1 THEN 'invalid' ELSE 'pending' END,
                   CASE WHEN kind = 'complaint' AND g / 5 %% 4 != 2
                        THEN ts + interval '2 days' END,
                   CASE WHEN g %% 3 = 0 THEN %(first)s + g %% %(services)s END,
                   %(uid)s, %(uid)s, ts - interval '2 hours', ts
              FROM (SELECT g, {SPREAD.format(m=104729)} AS ts,
                           CASE WHEN g %% 5 = 0 THEN 'complaint'
                                WHEN g %% 5 IN (1, 2) THEN 'aftersales'
                                ELSE 'general' END AS kind
                      FROM generate_series(1, %(size)s) g) x
            RETURNING id""",
        dict(params, **stage),
    )


def _insert_clocks(cr, params):
    cr.execute("SELECT indicator_role, min(id) FROM tsq_sla_policy GROUP BY indicator_role")
    policies = dict(cr.fetchall())
    rows = 0
    for role, kind, hours, salt in (
        ("complaint_response", "complaint", 24, 1),
        ("complaint_resolution", "complaint", 24 * 9, 7),
        ("request_response", "aftersales", 24, 3),
    ):
        cr.execute(
            f"""INSERT INTO tsq_sla_clock (ticket_id, policy_id, company_id, indicator_role,
                    amount, unit, start_at, base_deadline, deadline, state, is_open,
                    reached_at, breached_at, warned_level, paused_hours, used_hours,
                    allowed_hours, is_primary, {AUDIT})
                SELECT id, %(policy)s, %(company)s, %(role)s, 1, 'clock_hours', start_at,
                       deadline, deadline, state, state NOT IN ('met'),
                       CASE WHEN state = 'met' THEN start_at + (deadline - start_at) / 2
                            WHEN state = 'breached' AND id %% 2 = 0
                            THEN deadline + interval '5 hours' END,
                       CASE WHEN state = 'breached' THEN deadline END,
                       0, 0, 0, %(hours)s, TRUE, {AUDIT_VALUES}
                  FROM (SELECT t.id, COALESCE(t.tsq_received_at, t.create_date) AS start_at,
                               CASE WHEN (t.id / 5 * %(salt)s) %% 20 = 4
                                    THEN timestamp '2026-02-01'
                                    ELSE COALESCE(t.tsq_received_at, t.create_date)
                                         + %(hours)s * interval '1 hour' END AS deadline,
                               CASE (t.id / 5 * %(salt)s) %% 10 WHEN 0 THEN 'breached'
                                    WHEN 1 THEN 'breached' WHEN 2 THEN 'running'
                                    WHEN 3 THEN 'paused' WHEN 4 THEN 'running'
                                    ELSE 'met' END AS state
                          FROM helpdesk_ticket t
                         WHERE t.id BETWEEN %(ticket_first)s AND %(ticket_last)s
                           AND t.tsq_kind = %(kind)s
                           AND (%(role)s != 'complaint_resolution' OR t.id %% 50 != 7)) x""",
            dict(params, role=role, kind=kind, hours=hours, salt=salt, policy=policies[role]),
        )
        rows += cr.rowcount
    return rows


def _insert_feedback(cr, params):
    # Feedback: 10 per service (5 occasions x 2 clients, unique), 1 in 20 about a
    # ticket instead; 1 % of another company (none).
    cr.execute(
        f"""INSERT INTO tsq_feedback (partner_id, service_id, ticket_id, occasion, score,
                submitted_at, company_id, {AUDIT})
            SELECT (%(partner_ids)s::int[])[1 + ((g %% %(services)s) * 2 + g / %(services)s / 5)
                                             %% %(partners)s],
                   CASE WHEN g %% 20 != 0 THEN %(first)s + g %% %(services)s END,
                   CASE WHEN g %% 20 = 0 THEN %(ticket_first)s + g END,
                   (ARRAY['return_visit', 'acceptance', 'portal', 'survey', 'complaint'])
                       [1 + g / %(services)s %% 5],
                   CASE g * 31 %% 10 WHEN 0 THEN 1 WHEN 1 THEN 2 WHEN 2 THEN 3
                        WHEN 3 THEN 4 WHEN 4 THEN 4 WHEN 5 THEN 4 ELSE 5 END,
                   {SPREAD.format(m=15485863)},
                   CASE WHEN g %% 101 != 0 THEN %(company)s END, {AUDIT_VALUES}
              FROM generate_series(0, %(size)s - 1) g""",
        params,
    )
    return cr.rowcount
