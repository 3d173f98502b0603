"""Root running a server command on the hall's data folder becomes the folder's owner first.

``sudo madoguchi admin add-device …`` as root would leave a database (and its WAL, its keys) owned by root, which
the service, running as its own user, then cannot open: the documented commands ended in a permission
traceback. Run as root on a folder owned by another user, the server and the maintenance commands take that
user's identity (user, group, supplementary groups) before they touch anything. Windows has no such question.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def become_owner_of(folder: Path) -> str | None:
    """Switch to the owner of ``folder`` when running as root and it belongs to someone else; returns the user
    name switched to (None: nothing changed)."""
    if sys.platform == "win32" or os.geteuid() != 0:
        return None
    try:
        st = folder.stat()
    except FileNotFoundError:
        return None
    if st.st_uid == 0:
        return None
    import pwd

    try:
        entry = pwd.getpwuid(st.st_uid)
    except KeyError:
        name, home = str(st.st_uid), None
        os.setgroups([])
    else:
        name, home = entry.pw_name, entry.pw_dir
        os.initgroups(name, st.st_gid)
    os.setgid(st.st_gid)
    os.setuid(st.st_uid)
    if home:
        os.environ["HOME"] = home  # root's home is not the new user's (caches, a language model)
    return name
