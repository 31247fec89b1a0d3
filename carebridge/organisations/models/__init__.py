from .organisation import Organisation
from .team import Team
from .worker import Worker

__all__ = ["Organisation", "Team", "Worker"]
