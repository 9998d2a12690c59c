-- Eight triggers in one transaction (followed by eight trigger-cte.sql and batch-commit.sql):
-- what answering concurrent requests from one shared transaction (group commit in the server,
-- each response sent after that COMMIT) would cost the database per alert.
BEGIN;
