"""The persisted choice of inference engine and its options (read and written by the engine switch)."""
