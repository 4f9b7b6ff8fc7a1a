"""Tools that work on a loaded app: the ``flask cors`` commands (``plugins``, ``routes``,
``check``, ``explain``). They read the core; the core never imports them."""
