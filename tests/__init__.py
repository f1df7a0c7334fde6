from . import test_gate
from . import test_calendar
from . import test_security
from . import test_backend_ui
from . import test_reports
from . import test_portal
from . import test_demo
from . import test_deadlines
