from . import portal
from . import helpdesk
from . import complaint
from . import report
from . import mail
