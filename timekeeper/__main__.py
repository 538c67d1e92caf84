from timekeeper.cli.main import main

raise SystemExit(main())
