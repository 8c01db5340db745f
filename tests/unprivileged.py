"""Running a child process that file modes apply to, even when the tests run as root (as CI does).

Root writes through file modes; dropping the capabilities that let it (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH,
CAP_FOWNER) from the child's bounding set makes the kernel enforce the modes exactly as for any user.
"""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys

__all__ = ["drop_permission_bypass", "run_python_unprivileged"]

PR_CAPBSET_DROP = 24
CAPS_THAT_BYPASS_PERMISSIONS = (1, 2, 3)  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER


def drop_permission_bypass() -> None:
    """preexec_fn: make root subject to file modes (removes the capabilities from the bounding set)."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in CAPS_THAT_BYPASS_PERMISSIONS:
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def run_python_unprivileged(code: str, **kwargs) -> subprocess.CompletedProcess[str]:
    """`python -c code`, subject to file modes whoever runs the tests."""
    preexec = drop_permission_bypass if os.geteuid() == 0 else None
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          preexec_fn=preexec, **kwargs)
