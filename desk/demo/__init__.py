"""Demo data for `make run` (`manage.py seed_demo`): built through every domain's services, so no domain imports it."""
