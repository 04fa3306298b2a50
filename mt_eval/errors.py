"""Exceptions raised by the library; only the CLI turns them into messages and exit codes."""


class MtEvalError(Exception):
    """Base class for every error mt-eval raises on purpose."""


class InputError(MtEvalError):
    """A document or delivery cannot be used (missing, empty, binary, undecodable, ...).

    The message names the file and, where it helps, the line.
    """


class ConfigError(MtEvalError):
    """A configuration file or option is invalid; the message names the file and key."""


class MetricUnavailable(MtEvalError):
    """A metric cannot be computed in this run; the message says why and how to fix it.

    Args:
        reason: What is wrong.
        fix: How to fix it, when that takes more than the reason says (``""``: nothing
            to add). ``str()`` of the error holds both; :attr:`reason` the first alone.
    """

    def __init__(self, reason: str, fix: str = "") -> None:
        super().__init__(f"{reason} {fix}" if fix else reason)
        self.reason = reason
        self.fix = fix


class OutputError(MtEvalError):
    """Results cannot be written where asked (folder holds results, not writable, ...)."""
