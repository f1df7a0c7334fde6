#!/usr/bin/env python3
"""Load test of a served demo (scripts/serve), 127.0.0.1 only, bounded in time.

N portal clients and M back-end users work at once for a fixed time; each page's
requests/s, p50 and p95 response times and errors are printed, the add-on's pages
and, as the reference measured in the same run, stock Odoo pages:

  portal (a client)    our pages: service list, a service's page, complaint list,
                       filing a complaint (form + POST); stock: /my/home, /my/tickets
                       (helpdesk_mgmt)
  back end (staff)     our pages: the services kanban, a service form, the Quality
                       Dashboard (each the RPC the web client makes); stock: the
                       project kanban (all projects)

  python3 scripts/load.py --port 8481 --db tsq15demo --portal 8 --backend 4 --duration 60

Plain Python 3 (standard library only). Logins default to the demo's (README.md,
"Demo data"): the portal clients log in as client1..3@example.com, the staff as
liu.yang, chen.jing, zhang.wei, zhao.min, in turn. Filing a complaint writes a
ticket into the database served: use a demo database."""

import argparse
import http.cookiejar
import json
import random
import re
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict

PORTAL_LOGINS = ["client1@example.com", "client2@example.com", "client3@example.com"]
STAFF_LOGINS = ["liu.yang", "chen.jing", "zhang.wei", "zhao.min"]
CSRF = re.compile(r'name="csrf_token"\s+value="([^"]+)"')
SERVICE_LINK = re.compile(r'href="/my/services/(\d+)[?"]')

# the fields the web client asks for (views/project_project_views.xml and the
# Quality Dashboard's kanban); the stock kanban asks for project's own fields
SERVICE_KANBAN = {
    "name": {},
    "partner_id": {"fields": {"display_name": {}}},
    "user_id": {"fields": {"display_name": {}}},
    "service_category_id": {"fields": {"display_name": {}}},
    "service_stage": {},
    "stage_deadline": {},
    "stage_deadline_provisional": {},
    "is_stage_late": {},
    "is_objection_late": {},
}
SERVICE_FORM = {
    **SERVICE_KANBAN,
    "inquiry_received_at": {},
    "first_response_at": {},
    "needs_analysis": {},
    "feasibility": {},
    "plan_objectives": {},
    "plan_confirmed_at": {},
    "gate_item_ids": {
        "fields": {"label": {}, "stage": {}, "kind": {}, "done": {}, "done_by_id": {}}
    },
    "gate_passage_ids": {"fields": {"from_stage": {}, "to_stage": {}, "date": {}}},
    "acceptance_ids": {"fields": {"sequence": {}, "state": {}, "decided_at": {}}},
    "message_follower_ids": {},
    "activity_ids": {},
}
DASHBOARD = {
    "indicator_id": {"fields": {"display_name": {}}},
    "period_label": {},
    "numerator": {},
    "denominator": {},
    "value_display": {},
    "target": {},
    "status": {},
    "direction": {},
    "delta": {},
    "has_data": {},
    "previous_has_data": {},
    "provisional_count": {},
    "service_category_id": {"fields": {"display_name": {}}},
    "team_id": {"fields": {"display_name": {}}},
}
PROJECT_KANBAN = {
    "name": {},
    "partner_id": {"fields": {"display_name": {}}},
    "user_id": {"fields": {"display_name": {}}},
    "color": {},
    "is_favorite": {},
    "task_count": {},
    "open_task_count": {},
    "last_update_status": {},
    "date_start": {},
    "date": {},
    "tag_ids": {"fields": {"display_name": {}, "color": {}}},
}


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.times = defaultdict(list)
        self.errors = defaultdict(int)
        self.samples = {}

    def add(self, page, seconds, error=None):
        with self.lock:
            self.times[page].append(seconds)
            if error:
                self.errors[page] += 1
                self.samples.setdefault(page, error)


class NoPostRedirect(urllib.request.HTTPRedirectHandler):
    """A form's POST is timed alone: the page it redirects to is not fetched."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if req.get_method() == "POST" and req.data and not req.has_header("Content-type"):
            return None
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class Client:
    """One browser: its own cookies (session), against 127.0.0.1 only."""

    def __init__(self, base, db, stats):
        self.base, self.db, self.stats = base, db, stats
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoPostRedirect()
        )

    def request(self, page, path, data=None, json_body=None):
        """(status, text) of one request, timed under ``page`` (None: not counted)."""
        headers = {}
        body = None
        if json_body is not None:
            body = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
        elif data is not None:
            body = urllib.parse.urlencode(data).encode()
        req = urllib.request.Request(self.base + path, data=body, headers=headers)
        start = time.perf_counter()
        error = None
        try:
            with self.opener.open(req, timeout=120) as response:
                status, text = response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            status, text = exc.code, exc.read().decode("utf-8", "replace")
        except OSError as exc:
            status, text = 0, str(exc)
        elapsed = time.perf_counter() - start
        if status >= 400 or status == 0:
            error = f"HTTP {status} {path}: {text[:200]}"
        elif json_body is not None:
            try:
                payload = json.loads(text)
            except ValueError:
                payload = {"error": text[:200]}
            if "error" in payload:
                error = f"{path}: {json.dumps(payload['error'])[:300]}"
        if page:
            self.stats.add(page, elapsed, error)
        if error and not page:
            raise RuntimeError(error)
        return status, text

    def login(self, login, password):
        _status, text = self.request(None, f"/web/login?db={urllib.parse.quote(self.db)}")
        token = CSRF.search(text)
        if not token:
            raise RuntimeError("no login form at /web/login")
        _status, text = self.request(
            None,
            "/web/login",
            data={
                "login": login,
                "password": password,
                "csrf_token": token.group(1),
                "db": self.db,
            },
        )
        if 'name="password"' in text and "oe_login_form" in text:
            raise RuntimeError(f"login refused for {login}")

    def call_kw(self, page, model, method, args, kwargs):
        _status, text = self.request(
            page,
            f"/web/dataset/call_kw/{model}/{method}",
            json_body={
                "jsonrpc": "2.0",
                "method": "call",
                "id": random.randint(1, 10**9),
                "params": {"model": model, "method": method, "args": args, "kwargs": kwargs},
            },
        )
        try:
            return json.loads(text).get("result")
        except ValueError:
            return None


def portal_user(client, login, deadline):
    client.login(login, login)
    services = []
    while time.monotonic() < deadline:
        _status, text = client.request("ours  portal: service list", "/my/services")
        services = sorted(set(SERVICE_LINK.findall(text))) or services
        if services:
            client.request("ours  portal: service page", f"/my/services/{random.choice(services)}")
        client.request("ours  portal: complaint list", "/my/complaints")
        client.request("stock portal: /my/home", "/my/home")
        client.request("stock portal: /my/tickets", "/my/tickets")
        if random.random() < 0.2:  # one round in five files a complaint
            _status, text = client.request("ours  portal: complaint form", "/my/complaints/new")
            token = CSRF.search(text)
            if token:
                client.request(
                    "ours  portal: file a complaint",
                    "/my/complaints/new",
                    data={
                        "csrf_token": token.group(1),
                        "subject": "负载测试投诉",
                        "description": "scripts/load.py 提交的测试投诉。",
                    },
                )


def backend_user(client, login, deadline):
    client.login(login, login)
    context = {"lang": "zh_CN", "tz": "Asia/Shanghai"}
    while time.monotonic() < deadline:
        result = client.call_kw(
            "ours  back end: services kanban",
            "project.project",
            "web_search_read",
            [],
            {
                "domain": [["is_service", "=", True]],
                "specification": SERVICE_KANBAN,
                "limit": 40,
                "context": context,
            },
        )
        records = (result or {}).get("records") or []
        if records:
            client.call_kw(
                "ours  back end: service form",
                "project.project",
                "web_read",
                [[random.choice(records)["id"]]],
                {"specification": SERVICE_FORM, "context": context},
            )
        client.call_kw(
            "ours  back end: quality dashboard",
            "tsq.indicator.snapshot",
            "web_search_read",
            [],
            {
                "domain": [["is_latest", "=", True], ["split", "in", ["none", "team"]]],
                "specification": DASHBOARD,
                "limit": 80,
                "context": context,
            },
        )
        client.call_kw(
            "stock back end: project kanban",
            "project.project",
            "web_search_read",
            [],
            {"domain": [], "specification": PROJECT_KANBAN, "limit": 80, "context": context},
        )


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8069)
    parser.add_argument("--db", default="tsq")
    parser.add_argument("--portal", type=int, default=8, help="portal clients (N)")
    parser.add_argument("--backend", type=int, default=4, help="back-end users (M)")
    parser.add_argument("--duration", type=float, default=60, help="seconds of load")
    args = parser.parse_args(argv)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        parser.error("the load is sent to this machine only (127.0.0.1)")
    base = f"http://{args.host}:{args.port}"
    stats = Stats()
    failures = []
    deadline = time.monotonic() + args.duration

    def run(kind, index):
        client = Client(base, args.db, stats)
        try:
            if kind == "portal":
                portal_user(client, PORTAL_LOGINS[index % len(PORTAL_LOGINS)], deadline)
            else:
                backend_user(client, STAFF_LOGINS[index % len(STAFF_LOGINS)], deadline)
        except Exception as exc:  # noqa: BLE001 - reported below
            failures.append(f"{kind} user {index}: {exc}")

    threads = [threading.Thread(target=run, args=("portal", i)) for i in range(args.portal)]
    threads += [threading.Thread(target=run, args=("backend", i)) for i in range(args.backend)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(args.duration + 180)
    elapsed = time.monotonic() - started

    total = sum(len(v) for v in stats.times.values())
    errors = sum(stats.errors.values())
    print(
        f"{base} db={args.db}: {args.portal} portal clients, {args.backend} back-end users, "
        f"{elapsed:.0f} s; {total} requests, {total / elapsed:.1f} requests/s, {errors} errors"
    )
    print(f"{'page':36} {'requests':>8} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
    for page in sorted(stats.times, key=lambda p: (p.split(":")[0].split()[1], p)):
        times = stats.times[page]
        print(
            f"{page:36} {len(times):8d} {len(times) / elapsed:7.2f} "
            f"{statistics.median(times) * 1000:8.0f} {percentile(times, 0.95) * 1000:8.0f} "
            f"{stats.errors[page]:7d}"
        )
    for page, sample in stats.samples.items():
        print(f"first error of {page}: {sample}")
    for failure in failures:
        print(f"FAILED {failure}")
    return 1 if errors or failures else 0


if __name__ == "__main__":
    sys.exit(main())
