"""ECS & Lambda trainer: the core (no Streamlit) and, in ``trainer.ui``, the Streamlit pages."""

__version__ = "0.1.0"
