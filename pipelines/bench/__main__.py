"""`python -m pipelines.bench ...`: the same as `vetdx bench ...`."""

from pipelines.bench.run import main

raise SystemExit(main())
