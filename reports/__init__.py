from . import tsq_sla_xlsx
