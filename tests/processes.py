"""Stopping the server processes tests start."""

import subprocess


def stop(process: subprocess.Popen) -> None:
    """SIGTERM, then SIGKILL after 10 s.

    Daphne waits for its open application instances before exiting; on a loaded machine
    that can take longer, and the test database must be freed either way.
    """
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
