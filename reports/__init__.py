from . import tsq_sla_xlsx
from . import tsq_training_xlsx
from . import tsq_supplier_xlsx
from . import tsq_scorecard_xlsx
from . import tsq_review_xlsx
from . import tsq_conformance_xlsx
