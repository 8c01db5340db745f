"""The one exception type for problems a user can cause and fix; the CLI prints it without a traceback."""

__all__ = ["UserError"]


class UserError(Exception):
    """Something the user can fix: the message says what is wrong, where, and what to do."""

    exit_code = 2
