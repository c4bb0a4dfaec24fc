"""Streamlit pages: thin shells over the core. Nothing outside this package imports streamlit."""
