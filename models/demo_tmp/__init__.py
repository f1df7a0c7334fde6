from . import tsq_supplier_demo
from . import tsq_demo_loader
from . import tsq_demo_complaints
from . import tsq_conformance_demo
