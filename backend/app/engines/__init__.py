"""The configured inference engines, the default one, and switching it while the server runs."""
