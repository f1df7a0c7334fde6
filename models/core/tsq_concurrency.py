"""Concurrency rules: two people (or two processes, or two Odoo servers on one
database) acting on the same record at the same moment.

* A workflow step that records a decision first locks what it decides on with
  :func:`lock_for_decision` (``SELECT … FOR UPDATE NOWAIT``), then checks the
  state again: the second of two concurrent attempts gets
  :class:`TsqConcurrentChange` (a clear, translated message) and writes nothing;
  once the first has committed, a new attempt sees the decision already taken and
  is refused by the step's own check.
* A scheduled job claims the rows it notifies about with :func:`claim_rows`
  (``FOR UPDATE SKIP LOCKED``): the rows another run is handling, or has handled
  since this transaction began, are left to it. A job that works per company
  takes :func:`claim_job` (a transaction-level advisory lock) first.

Odoo runs each transaction in REPEATABLE READ: locking a row that another
transaction changed and committed after this one began raises a serialization
failure, which the helpers turn into "someone else did it" as well.
"""

import logging

from psycopg2 import errors

from odoo.exceptions import UserError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)


CONCURRENCY_ERRORS = (errors.LockNotAvailable, errors.SerializationFailure)


class TsqConcurrentChange(UserError):
    """Another user or process is changing (or has just changed) the record."""


def concurrent_change_message(env):
    return env._(
        "This record was changed by someone else a moment ago. Reload the page and try again."
    )


def lock_for_decision(records):
    """Lock the rows of ``records`` for the rest of the transaction, or raise
    :class:`TsqConcurrentChange` when another transaction holds them or changed
    them since this one began. Once locked, what this transaction reads of them
    is the last committed state (REPEATABLE READ: a row changed by a transaction
    committed since this one began cannot be locked), so the checks that follow
    decide on what is really there. Returns ``records``."""
    records = records.filtered("id")
    if not records:
        return records
    cr = records.env.cr
    records.flush_recordset()
    query = SQL(
        "SELECT id FROM %s WHERE id IN %s FOR UPDATE NOWAIT",
        SQL.identifier(records._table),
        tuple(records.ids),
    )
    try:
        with cr.savepoint(flush=False):
            cr.execute(query, log_exceptions=False)
    except CONCURRENCY_ERRORS as error:
        _logger.info(
            "Concurrent change of %s%s refused: %s", records._name, records.ids, error.pgcode
        )
        raise TsqConcurrentChange(concurrent_change_message(records.env)) from None
    return records


def claim_rows(records):
    """The part of ``records`` this transaction may handle: their rows locked
    ``FOR UPDATE SKIP LOCKED``. Rows locked by another run, or changed by a run
    that committed after this transaction began, are left out (that run handles
    them). The claimed records' cache is dropped, so the caller re-checks what
    is committed."""
    records = records.filtered("id")
    if not records:
        return records
    cr = records.env.cr
    records.flush_recordset()
    table = SQL.identifier(records._table)
    claimed = set()
    try:
        with cr.savepoint(flush=False):
            cr.execute(
                SQL(
                    "SELECT id FROM %s WHERE id IN %s FOR UPDATE SKIP LOCKED",
                    table,
                    tuple(records.ids),
                ),
                log_exceptions=False,
            )
            claimed.update(row[0] for row in cr.fetchall())
    except errors.SerializationFailure:
        # some row changed since this transaction began: claim them one by one
        for record_id in records.ids:
            try:
                with cr.savepoint(flush=False):
                    cr.execute(
                        SQL(
                            "SELECT id FROM %s WHERE id = %s FOR UPDATE SKIP LOCKED",
                            table,
                            record_id,
                        ),
                        log_exceptions=False,
                    )
                    claimed.update(row[0] for row in cr.fetchall())
            except errors.SerializationFailure:
                continue
    if len(claimed) < len(records):
        _logger.info(
            "%s: %s row(s) left to another run", records._name, len(records) - len(claimed)
        )
    result = records.browse([record_id for record_id in records.ids if record_id in claimed])
    result.invalidate_recordset()
    return result


def claim_job(env, job, key=0):
    """Whether this transaction may run ``job`` (a name) for ``key`` (a company
    id, say): a transaction-level advisory lock, which no other run of the job,
    on any server of the database, holds. Released at commit or rollback."""
    env.cr.execute("SELECT pg_try_advisory_xact_lock(hashtext(%s), %s)", (job, key))
    acquired = env.cr.fetchone()[0]
    if not acquired:
        _logger.info("%s (%s): another run is at work, left to it", job, key)
    return acquired
