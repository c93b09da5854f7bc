from smallwins.cli import main

raise SystemExit(main())
