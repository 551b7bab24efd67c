from funneldesk.cli import main

raise SystemExit(main())
