"""User accounts: roles, activation, and the admin routes that manage them."""
