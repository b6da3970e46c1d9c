"""The audit log: who did what, and when (logins, account and key changes, deletions)."""
