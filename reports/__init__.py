from . import tsq_sla_xlsx
from . import tsq_training_xlsx
from . import tsq_supplier_xlsx
