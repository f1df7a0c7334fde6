# The demo's Python: loaders that play the demo agency's story through the real
# workflows (called by the <function> tags of demo/*.xml). Demo-only models
# (tsq.demo.*): no production model carries a demo method.
from . import tsq_demo_loader
from . import tsq_demo_complaints
from . import tsq_demo_suppliers
from . import tsq_demo_evaluation
from . import tsq_demo_pdca
from . import tsq_demo_indicators
from . import tsq_demo_scorecards
from . import tsq_demo_evidence
from . import tsq_demo_review
from . import tsq_demo_conformance
