from mineral_report.cli import main

raise SystemExit(main())
