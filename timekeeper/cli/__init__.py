"""Command line. Each sub-command lives in its own module of this package with a
``register(subparsers)`` function that adds its parser and sets ``func`` (a callable
taking the parsed args and returning an exit code). Modules import heavy libraries
only inside ``func``, so ``timekeeper --help`` stays instant."""
