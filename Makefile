.PHONY: start test bench

# Install everything, migrate, create the first admin and run web + worker.
start:
	scripts/start.sh

# Lint, format check, migration check, the suite, then the services tests on PostgreSQL + Redis.
test:
	scripts/test.sh

bench:
	scripts/bench.sh
