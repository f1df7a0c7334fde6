from . import portal
from . import complaint
