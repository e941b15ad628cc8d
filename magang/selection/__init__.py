"""Selection: stage plans, stage results, quotas, ranking runs, publication and appeals."""
