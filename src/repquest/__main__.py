"""``python -m repquest`` runs the same CLI as the ``repquest`` console script."""

from repquest.cli import main

raise SystemExit(main())
