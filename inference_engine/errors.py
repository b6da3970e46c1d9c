"""The exception hierarchy of the inference engines; callers catch `EngineError`."""


class EngineError(Exception):
    """Base class for every error raised by an inference engine."""


class InvalidConfig(EngineError, ValueError):
    """An `InferenceConfig` value is out of range or inconsistent."""


class EngineUnavailable(EngineError):
    """The engine's backend library or hardware is not present on this machine."""


class EngineNotLoaded(EngineError):
    """A generation was asked of an engine whose model is not loaded."""


class ModelLoadError(EngineError):
    """The model folder is missing or could not be loaded."""


class InvalidPrompt(EngineError, ValueError):
    """The prompt is empty, malformed, or longer than the model accepts."""


class GenerationError(EngineError):
    """The backend failed while generating."""


class GenerationAborted(EngineError):
    """The caller's abort event was set (its client went away) before the completion was done."""
